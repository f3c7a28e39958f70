/** Where a user's messages go, as their latest profile event says. */
export interface Recipient {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly phone?: string;
}
