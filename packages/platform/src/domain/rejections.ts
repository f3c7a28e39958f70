/**
 * The rejections every aggregate meets, whatever its domain: a command on a stream that holds no such
 * aggregate, a creation on a stream that already holds one, and input fields the domain refuses. A
 * decide function throws them (or a subclass named in its own terms); the HTTP kit answers them with
 * 404, 409 and 400 for every service, so none of them needs a line of its own error mapping.
 */

/** One field the domain refused, and why; without `field` the refusal is about the input as a whole. */
export interface FieldRejection {
  /** The field's name in the command's input (`email`, `items[0].sku`); the HTTP kit reports it as `body.<field>`. */
  readonly field?: string;
  readonly message: string;
}

/** Base of the shared rejections; each takes its class's name, so a subclass logs as itself. */
export abstract class DomainRejection extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream holds no aggregate of this kind yet: an update or action on something never created (404). */
export class AggregateNotFound extends DomainRejection {
  constructor(
    /** The aggregate's kind as a client reads it: `user`, `order`. */
    readonly aggregate: string,
    readonly id: string,
    message = `${aggregate} ${id} does not exist`,
  ) {
    super(message);
  }
}

/** The stream already holds this aggregate: a creation that must happen once (409). */
export class AggregateAlreadyExists extends DomainRejection {
  constructor(
    /** The aggregate's kind as a client reads it: `user`, `order`. */
    readonly aggregate: string,
    readonly id: string,
    message = `${aggregate} ${id} already exists`,
  ) {
    super(message);
  }
}

/** Fields of the command's input break the domain's rules of form; every one is named at once (400). */
export class InvalidFields extends DomainRejection {
  constructor(
    readonly fields: readonly FieldRejection[],
    message = `invalid ${fields.map((rejection) => rejection.field ?? 'input').join(', ')}`,
  ) {
    super(message);
  }
}
