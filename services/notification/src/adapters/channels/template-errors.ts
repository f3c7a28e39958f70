/**
 * A template could not render a message: it is not in the catalog, is for another channel, the data
 * lacks one of its keys, or (SMS) the text is too long. Sending the same message again would fail the
 * same way, so a channel answers it with `rejected`.
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';

  constructor(
    readonly template: string,
    detail: string,
  ) {
    super(`template ${template}: ${detail}`);
  }
}

/** The templates on disk do not match the catalog; thrown once at start-up with every problem found. */
export class TemplatesInvalid extends Error {
  override readonly name = 'TemplatesInvalid';

  constructor(readonly problems: readonly string[]) {
    super(`invalid templates:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}
