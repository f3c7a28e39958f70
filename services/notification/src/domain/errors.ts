/**
 * A receipt or cancellation notice for a user whose `UserCreated` has not reached the recipients
 * table yet (it travels on another topic). `retriable`, so the consumer runner tries again with
 * backoff and, if the user never turns up, dead-letters the trigger and parks its key.
 */
export class RecipientNotKnownYet extends Error {
  override readonly name = 'RecipientNotKnownYet';
  readonly retriable = true;

  constructor(readonly userId: string) {
    super(`user ${userId} is not among the recipients yet`);
  }
}
