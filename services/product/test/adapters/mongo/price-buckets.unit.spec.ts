import { firstLeafOf, firstNode, isLastChild, labelOf, leafOf, nextOf, parentOf, type PriceNode, priceBucketsOf } from '../../../src/adapters/mongo/price-buckets.js';

/** Every leaf of the tree in the direction's order, as a walk that never climbs visits them. */
function leaves(direction: 1 | -1): PriceNode[] {
  const visited: PriceNode[] = [];
  for (let node: PriceNode | undefined = firstLeafOf(firstNode(direction), direction); node !== undefined; ) {
    visited.push(node);
    const next = nextOf(node, direction);
    node = next === undefined ? undefined : firstLeafOf(next, direction);
  }
  return visited;
}

const key = ({ length, digits }: PriceNode) => `${length}:${digits}`;

describe('Price buckets', () => {
  it('given amounts of every length, when bucketed, then each holds its length, leading digit and second digit, coarsest first', () => {
    expect(priceBucketsOf('EUR', 3_990)).toEqual(['EUR:4', 'EUR:4:3', 'EUR:4:39']);
    expect(priceBucketsOf('KRW', 0)).toEqual(['KRW:1']);
    expect(priceBucketsOf('KRW', 57)).toEqual(['KRW:2', 'KRW:2:5']);
    expect(priceBucketsOf('USD', 123_456_789)).toEqual(['USD:8+']);
  });

  it('given the leaves walked ascending, when every amount is placed, then leaves come in amount order and each amount’s leaf is visited', () => {
    const order = leaves(1).map(key);
    const amounts = [0, 9, 10, 99, 100, 109, 110, 999, 1_000, 3_990, 99_999, 1_000_000, 9_999_999, 10_000_000, Number.MAX_SAFE_INTEGER];
    const positions = amounts.map((amount) => order.indexOf(key(leafOf(amount))));

    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('given the leaves walked descending, then they are the ascending ones reversed', () => {
    expect(leaves(-1).map(key)).toEqual(leaves(1).map(key).reverse());
  });

  it('given a node, when its parent, its next and whether it is last are asked, then they follow the digits', () => {
    expect(parentOf({ length: 4, digits: '39' })).toEqual({ length: 4, digits: '3' });
    expect(parentOf({ length: 4, digits: '' })).toBeUndefined();
    expect(nextOf({ length: 4, digits: '39' }, 1)).toEqual({ length: 4, digits: '4' });
    expect(nextOf({ length: 4, digits: '99' }, 1)).toEqual({ length: 5, digits: '' });
    expect(nextOf({ length: 4, digits: '10' }, -1)).toEqual({ length: 3, digits: '' });
    expect(nextOf({ length: 8, digits: '' }, 1)).toBeUndefined();
    expect(isLastChild({ length: 4, digits: '9' }, 1)).toBe(true);
    expect(isLastChild({ length: 4, digits: '1' }, -1)).toBe(true);
    expect(labelOf('EUR', { length: 8, digits: '' })).toBe('EUR:8+');
  });
});
