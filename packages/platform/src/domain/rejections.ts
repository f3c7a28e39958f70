/**
 * The rejections every aggregate meets, whatever its domain: a command on a stream that holds no such
 * aggregate, a creation on a stream that already holds one, input fields of the wrong form, fields of
 * the right form that a rule refuses, and a unique value another aggregate holds. A decide function
 * (or the adapter enforcing uniqueness) throws them, or a subclass named in its own terms; the HTTP
 * kit answers them with 404, 409, 400, 422 and 409 for every service, so none needs its own mapping.
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

/** Fields of the right form that a rule of the domain refuses (a weak password, a price under cost); every one is named (422). */
export class FieldsRefused extends DomainRejection {
  constructor(
    readonly fields: readonly FieldRejection[],
    message = `refused ${fields.map((rejection) => rejection.field ?? 'input').join(', ')}`,
  ) {
    super(message);
  }
}

/**
 * A value that must be unique across aggregates (an email address, a SKU) belongs to another one, as
 * the adapter that enforces the uniqueness finds (409 naming the field).
 */
export class ValueTaken extends DomainRejection {
  constructor(
    /** The field holding the value, as in `FieldRejection`. */
    readonly field: string,
    message: string,
    /** What the problem says of the field. */
    readonly reason = 'is already taken',
  ) {
    super(message);
  }
}
