import { stringify } from 'yaml';

/**
 * Helm expressions inside YAML that the yaml library writes: a value is replaced by a token the
 * library writes as a plain scalar, and `render` puts the template text where each token stands.
 */
type Replacement =
  /** `key: {{ expression }}` */
  | { readonly kind: 'inline'; readonly expression: string }
  /** `key:` then the YAML of a value from the values file, indented under the key */
  | { readonly kind: 'block'; readonly expression: string }
  /** `key: value`, kept only when `condition` holds */
  | { readonly kind: 'optional'; readonly condition: string; readonly value: unknown }
  /** a list item kept when `condition` holds, and `otherwise` (if any) in its place when not */
  | { readonly kind: 'item'; readonly condition: string; readonly item: unknown; readonly otherwise?: unknown };

const TOKEN = /__HELM_(\d+)__/;

export class Placeholders {
  private readonly replacements: Replacement[] = [];

  /** A scalar that renders as `{{ expression }}`. */
  inline(expression: string): string {
    return this.add({ kind: 'inline', expression });
  }

  /** A mapping or list that renders as `toYaml expression`. */
  block(expression: string): string {
    return this.add({ kind: 'block', expression });
  }

  /** A mapping entry present only when `condition` is true: the token is its value. */
  optional(condition: string, value: unknown): string {
    return this.add({ kind: 'optional', condition, value });
  }

  /** A list item present only when `condition` is true; `otherwise`, if given, takes its place when not. */
  item(condition: string, item: unknown, otherwise?: unknown): string {
    return this.add(otherwise === undefined ? { kind: 'item', condition, item } : { kind: 'item', condition, item, otherwise });
  }

  /** YAML of `value` with every token replaced by its template text. */
  yaml(value: unknown): string {
    return this.render(write(value));
  }

  private add(replacement: Replacement): string {
    this.replacements.push(replacement);
    return `__HELM_${this.replacements.length - 1}__`;
  }

  private render(text: string): string {
    return text
      .split('\n')
      .map((line) => this.renderLine(line))
      .join('\n');
  }

  private renderLine(line: string): string {
    const match = TOKEN.exec(line);
    if (!match) return line;
    const replacement = this.replacements[Number(match[1])];
    if (replacement === undefined) throw new Error(`no replacement for ${match[0]}`);
    switch (replacement.kind) {
      case 'inline':
        return this.renderLine(line.replace(match[0], `{{ ${replacement.expression} }}`));
      case 'block': {
        // `key: {{- toYaml x | nindent n }}`: the dash eats the space, nindent starts the value's lines.
        const keyColumn = (/^\s*(?:- )*/.exec(line)?.[0] ?? '').length;
        return line.replace(match[0], `{{- toYaml ${replacement.expression} | nindent ${keyColumn + 2} }}`);
      }
      case 'optional': {
        const entry = /^(\s*)([^\s-][^:]*): __HELM_\d+__$/.exec(line);
        if (!entry) throw new Error(`an optional token must be the value of a mapping entry of its own line: ${line}`);
        const indent = entry[1] ?? '';
        const kept = this.render(indented(write({ [entry[2] ?? '']: replacement.value }), indent));
        return `${indent}{{- if ${replacement.condition} }}\n${kept}\n${indent}{{- end }}`;
      }
      case 'item': {
        const item = /^(\s*)- __HELM_\d+__$/.exec(line);
        if (!item) throw new Error(`an item token must be a list item of its own: ${line}`);
        const indent = item[1] ?? '';
        const kept = this.render(indented(write([replacement.item]), indent));
        const otherwise =
          replacement.otherwise === undefined
            ? ''
            : `\n${indent}{{- else }}\n${this.render(indented(write([replacement.otherwise]), indent))}`;
        return `${indent}{{- if ${replacement.condition} }}\n${kept}${otherwise}\n${indent}{{- end }}`;
      }
      default: {
        const unknown: never = replacement;
        throw new Error(`unknown replacement ${String(unknown)}`);
      }
    }
  }
}

/**
 * YAML 1.1, as Helm and the API server read it: a string such as `no` or `on` is quoted, where YAML
 * 1.2 would leave it plain and they would read a boolean.
 */
function write(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }).trimEnd();
}

function indented(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : indent + line))
    .join('\n');
}
