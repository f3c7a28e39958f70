import { access, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { MAX_SMS_SEGMENTS, smsLength } from './sms-length.js';
import { templateCatalog, type TemplateChannel, type TemplateSpec } from './template-catalog.js';
import { TemplateError, TemplatesInvalid } from './template-errors.js';

/** The values a message renders, as the ports carry them. */
export type TemplateInput = Readonly<Record<string, string>>;

/** An email's two parts. */
export interface RenderedEmail {
  readonly html: string;
  readonly text: string;
}

/**
 * The catalog's templates, compiled once. Each call renders one message or throws `TemplateError`
 * (unknown name, another channel's template, a missing key, an SMS over `MAX_SMS_SEGMENTS`).
 */
export interface Templates {
  email(template: string, data: TemplateInput): RenderedEmail;
  /** The text, trimmed, within `MAX_SMS_SEGMENTS`. */
  sms(template: string, data: TemplateInput): string;
  /** The notification's body text, trimmed. */
  push(template: string, data: TemplateInput): string;
}

/** Options for `loadTemplates`. */
export interface LoadTemplatesOptions {
  /** @default the package's `templates/` directory, wherever the code runs from (`src/` or `dist/src/`). */
  readonly directory?: string;
}

type Render = (data: TemplateInput) => string;

interface TextTemplate {
  readonly keys: readonly string[];
  readonly text: Render;
}

interface EmailTemplate extends TextTemplate {
  readonly html: Render;
}

const PARTIALS = 'partials';
const CHANNEL_NOUNS: Readonly<Record<TemplateChannel, string>> = { email: 'an email', sms: 'an SMS', push: 'a push' };
// Strict: a key the data lacks is an error, not an empty string in a customer's inbox.
const HTML_OPTIONS = { strict: true } as const;
const TEXT_OPTIONS = { strict: true, noEscape: true } as const;

/**
 * Reads and compiles every template in the catalog, with the partials in `templates/partials/`.
 *
 * @throws TemplatesInvalid naming each missing, unparsable or unlisted file, and each file that uses a
 *   key its catalog entry does not list: the service does not start with a template it cannot render.
 */
export async function loadTemplates({ directory }: LoadTemplatesOptions = {}): Promise<Templates> {
  const root = directory ?? join(await packageRoot(), 'templates');
  if (!(await exists(root))) throw new TemplatesInvalid([`${root}: no such directory`]);
  const handlebars = Handlebars.create();
  const problems: string[] = [];
  const read = async (file: string): Promise<string | undefined> => {
    try {
      return await readFile(join(root, file), 'utf8');
    } catch {
      problems.push(`${file}: missing`);
      return undefined;
    }
  };
  const compile = (file: string, source: string, options: CompileOptions): Render | undefined => {
    try {
      // parse first: compile defers syntax errors to the first render, which is too late.
      handlebars.parse(source);
      return handlebars.compile<TemplateInput>(source, options);
    } catch (error) {
      problems.push(`${file}: ${messageOf(error)}`);
      return undefined;
    }
  };

  const partialFiles = await listTemplateFiles(join(root, PARTIALS));
  for (const file of partialFiles) {
    const source = await read(join(PARTIALS, file));
    const options = file.endsWith('.html.hbs') ? HTML_OPTIONS : TEXT_OPTIONS;
    const partial = source === undefined ? undefined : compile(join(PARTIALS, file), source, options);
    if (partial) handlebars.registerPartial(file.replace(/\.(html|txt)\.hbs$/, ''), partial);
  }

  const emails = new Map<string, EmailTemplate>();
  const texts = new Map<string, TextTemplate>();
  for (const [name, { channel, keys }] of catalogEntries()) {
    const textSource = await read(`${name}.txt.hbs`);
    const text = textSource === undefined ? undefined : compile(`${name}.txt.hbs`, textSource, TEXT_OPTIONS);
    const parts: [string, Render | undefined][] = [[`${name}.txt.hbs`, text]];
    if (channel === 'email') {
      const htmlSource = await read(`${name}.html.hbs`);
      const html = htmlSource === undefined ? undefined : compile(`${name}.html.hbs`, htmlSource, HTML_OPTIONS);
      parts.push([`${name}.html.hbs`, html]);
      if (text && html) emails.set(name, { keys, text, html });
    } else if (text) {
      texts.set(name, { keys, text });
    }
    problems.push(...trialProblems(keys, parts));
  }

  const known = new Set(catalogEntries().flatMap(([name, { channel }]) => [`${name}.txt.hbs`, ...(channel === 'email' ? [`${name}.html.hbs`] : [])]));
  for (const file of await listTemplateFiles(root)) {
    if (!known.has(file)) problems.push(`${file}: not a template of the catalog (or a part its channel does not have)`);
  }
  if (problems.length > 0) throw new TemplatesInvalid(problems);
  return renderer(emails, texts);
}

type CompileOptions = typeof HTML_OPTIONS | typeof TEXT_OPTIONS;

function renderer(emails: ReadonlyMap<string, EmailTemplate>, texts: ReadonlyMap<string, TextTemplate>): Templates {
  const textTemplate = (name: string, channel: 'sms' | 'push'): TextTemplate => {
    const template = catalogChannel(name) === channel ? texts.get(name) : undefined;
    if (template === undefined) throw new TemplateError(name, notFor(name, channel));
    return template;
  };
  const render = (name: string, { keys }: TextTemplate, part: Render, data: TemplateInput): string => {
    // Only the catalog's keys reach the template, so what rendered at start-up is all it can read.
    const values: Record<string, string> = {};
    const missing: string[] = [];
    for (const key of keys) {
      const value = data[key];
      if (value === undefined) missing.push(`"${key}"`);
      else values[key] = value;
    }
    if (missing.length > 0) throw new TemplateError(name, `the data lacks ${missing.join(', ')}`);
    try {
      return part(values);
    } catch (error) {
      throw new TemplateError(name, messageOf(error));
    }
  };
  return {
    email(name, data) {
      const template = emails.get(name);
      if (template === undefined) throw new TemplateError(name, notFor(name, 'email'));
      return { html: render(name, template, template.html, data), text: render(name, template, template.text, data) };
    },
    sms(name, data) {
      const template = textTemplate(name, 'sms');
      const body = render(name, template, template.text, data).trim();
      const { encoding, segments, characters } = smsLength(body);
      if (segments > MAX_SMS_SEGMENTS) {
        const detail = `renders to ${segments} ${encoding} segments (${characters} characters); at most ${MAX_SMS_SEGMENTS} are sent`;
        throw new TemplateError(name, detail);
      }
      return body;
    },
    push(name, data) {
      const template = textTemplate(name, 'push');
      return render(name, template, template.text, data).trim();
    },
  };
}

/**
 * Renders each part with every key set, once non-empty and once empty, so a key the catalog does not
 * list fails here (strict mode) on both sides of an `{{#if}}`, instead of on a customer's message.
 */
function trialProblems(keys: readonly string[], parts: readonly [string, Render | undefined][]): string[] {
  const problems: string[] = [];
  for (const [file, part] of parts) {
    for (const value of part ? ['x', ''] : []) {
      try {
        part?.(Object.fromEntries(keys.map((key) => [key, value])));
      } catch (error) {
        const unlisted = /^"([^"]+)" not defined/.exec(messageOf(error))?.[1];
        problems.push(
          unlisted === undefined ? `${file}: ${messageOf(error)}` : `${file}: uses "${unlisted}", not one of its keys (${keys.join(', ')})`,
        );
        break;
      }
    }
  }
  return problems;
}

function catalogEntries(): [string, TemplateSpec][] {
  return Object.entries(templateCatalog);
}

function catalogChannel(name: string): TemplateChannel | undefined {
  return catalogEntries().find(([entry]) => entry === name)?.[1].channel;
}

/** Why `name` is not a template of `channel`: unknown, or another channel's. */
function notFor(name: string, channel: TemplateChannel): string {
  const actual = catalogChannel(name);
  return actual === undefined ? 'no such template' : `is ${CHANNEL_NOUNS[actual]} template, not ${CHANNEL_NOUNS[channel]} one`;
}

async function listTemplateFiles(directory: string): Promise<string[]> {
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.hbs')).map((entry) => entry.name).sort();
  } catch {
    return [];
  }
}

/** The nearest directory above this file with a package.json: the package root from `src/` and from `dist/src/` alike. */
async function packageRoot(): Promise<string> {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!(await exists(join(directory, 'package.json')))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('no package.json above the template renderer');
    directory = parent;
  }
  return directory;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
