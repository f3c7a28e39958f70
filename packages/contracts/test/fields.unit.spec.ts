import { CategoryCreated } from '../src/index.js';

describe('human-readable text fields', () => {
  const name = CategoryCreated.payload.shape.name;

  it('given text with a NUL character, when parsed, then it is refused: PostgreSQL stores no NUL in text or jsonb', () => {
    const result = name.safeParse('Kitchen\u0000ware');

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must not contain the NUL character');
  });

  it('given text with other control characters and astral letters, when parsed, then it stands', () => {
    expect(name.parse('\u0089 \ud93b\ude95 x\b')).toBe('\u0089 \ud93b\ude95 x\b');
  });
});
