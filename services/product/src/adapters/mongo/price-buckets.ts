/**
 * The price orders' buckets: a tree over each currency's amounts by their decimal digits. The root's
 * children are the amounts' lengths (`1` to `7` digits, and `8+` for all longer ones, prices rarely
 * seen); under a length, its leading digit; under that, the second digit. A product's `priceBuckets`
 * holds the label of every node its amount falls in, so a listing can ask FerretDB for any one node
 * by equality on the array, which it pushes down to PostgreSQL. Nodes of one parent are disjoint
 * intervals of amounts in order, so walking them in order and sorting inside each walks the price order.
 */

/** A node of a currency's amount tree: an amount length (1 to 8, 8 standing for 8 or more) and leading digits. */
export interface PriceNode {
  readonly length: number;
  /** '' for a length's node, then one or two leading digits. */
  readonly digits: string;
}

const LONGEST = 8;

/** The leading digits a length's amounts go down to: lengths 1 and 8+ are leaves, 2 has one level, 3 to 7 two. */
function depthOf(length: number): number {
  if (length === 1 || length === LONGEST) return 0;
  return length === 2 ? 1 : 2;
}

/** The finest node holding `amountMinor`. */
export function leafOf(amountMinor: number): PriceNode {
  const text = String(amountMinor);
  const length = Math.min(text.length, LONGEST);
  return { length, digits: text.slice(0, depthOf(length)) };
}

/** The label a node is asked for by, in `currency`. */
export function labelOf(currency: string, { length, digits }: PriceNode): string {
  return `${currency}:${length === LONGEST ? `${LONGEST}+` : length}${digits === '' ? '' : `:${digits}`}`;
}

/** The labels of every node an amount falls in, coarsest first: what the read model stores. */
export function priceBucketsOf(currency: string, amountMinor: number): string[] {
  const leaf = leafOf(amountMinor);
  return Array.from({ length: leaf.digits.length + 1 }, (_, depth) => labelOf(currency, { length: leaf.length, digits: leaf.digits.slice(0, depth) }));
}

/** A node's parent, or `undefined` for a length's node. */
export function parentOf(node: PriceNode): PriceNode | undefined {
  return node.digits === '' ? undefined : { length: node.length, digits: node.digits.slice(0, -1) };
}

/** A node's children in the direction's order (1 ascending, -1 descending); none for a leaf. */
function childrenOf({ length, digits }: PriceNode, direction: 1 | -1): PriceNode[] {
  if (digits.length >= depthOf(length)) return [];
  // A number's first digit is never 0, except for the one-digit amounts, which are a leaf.
  const first = digits === '' ? 1 : 0;
  const children = Array.from({ length: 10 - first }, (_, at) => ({ length, digits: `${digits}${first + at}` }));
  return direction === 1 ? children : children.reverse();
}

/** The node after `node` in the direction's order at its own level or, past its parent's last child, its parent's next. */
export function nextOf(node: PriceNode, direction: 1 | -1): PriceNode | undefined {
  const parent = parentOf(node);
  if (parent === undefined) {
    const length = node.length + direction;
    return length < 1 || length > LONGEST ? undefined : { length, digits: '' };
  }
  const siblings = childrenOf(parent, direction);
  return siblings[siblings.findIndex((sibling) => sibling.digits === node.digits) + 1] ?? nextOf(parent, direction);
}

/** Whether `node` is the last of its parent's children in the direction's order. */
export function isLastChild(node: PriceNode, direction: 1 | -1): boolean {
  const parent = parentOf(node);
  return parent === undefined || childrenOf(parent, direction).at(-1)?.digits === node.digits;
}

/** The first leaf under `node` in the direction's order (`node` itself when it is one). */
export function firstLeafOf(node: PriceNode, direction: 1 | -1): PriceNode {
  const [first] = childrenOf(node, direction);
  return first === undefined ? node : firstLeafOf(first, direction);
}

/** The first length's node a walk from no cursor visits. */
export function firstNode(direction: 1 | -1): PriceNode {
  return { length: direction === 1 ? 1 : LONGEST, digits: '' };
}
