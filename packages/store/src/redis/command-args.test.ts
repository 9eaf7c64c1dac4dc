import { Command } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

// patches/ioredis@5.11.1.patch: every ioredis command copied its arguments with `args.flat()`,
// ~1.3 µs for a spend script's ~20 arguments on Node 20, twice per completion. The patch copies
// them with a loop that gives the same array. The first test fails on the unpatched package; the
// others hold the patch to flat()'s result.
const flat = Array.prototype.flat;
let flatCalls = 0;

function countFlatCalls(): void {
  flatCalls = 0;
  Array.prototype.flat = function (this: unknown[], ...rest: []) {
    flatCalls++;
    return flat.apply(this, rest);
  } as typeof flat;
}

afterEach(() => {
  Array.prototype.flat = flat;
});

describe('ioredis command arguments (patched)', () => {
  it('are copied without Array.prototype.flat', () => {
    const args = ['0123456789abcdef', 2, 'tg:{u}:day', 'tg:{u}:month', 1_733_356_800_000, 'user-1'];
    countFlatCalls();
    const command = new Command('evalsha', args, { replyEncoding: 'utf8' });
    expect(flatCalls).toBe(0);
    // ioredis sends numbers as strings.
    expect(command.args).toEqual(['0123456789abcdef', '2', 'tg:{u}:day', 'tg:{u}:month', '1733356800000', 'user-1']);
    // A copy: the store rewrites the script slot for its NOSCRIPT fallback after sending.
    expect(command.args).not.toBe(args);
    args[0] = 'changed';
    expect(command.args[0]).toBe('0123456789abcdef');
  });

  it('come out as flat() made them: one level of arrays spread, holes skipped', () => {
    const buffer = Buffer.from('bytes');
    // Deeper arrays are not spread: ioredis sends them as String() gives them.
    // biome-ignore lint/suspicious/noSparseArray: the holes are what is tested.
    const sparse = [1, , 2, [3, , 4]];
    const cases: [unknown[], unknown[]][] = [
      [[], []],
      [[[]], []],
      [
        ['a', ['b', 'c'], 'd'],
        ['a', 'b', 'c', 'd'],
      ],
      [
        ['a', [['x', 'y']], buffer],
        ['a', 'x,y', buffer],
      ],
      [sparse, ['1', '2', '3', '4']],
    ];
    for (const [args, expected] of cases) {
      expect(new Command('del', args as string[]).args).toEqual(expected);
      // The same as flat() gives before ioredis stringifies what is left.
      expect(flat.call(args).map((a) => (Buffer.isBuffer(a) ? a : String(a)))).toEqual(expected);
    }
  });

  it('still serialise to the same RESP bytes', () => {
    const command = new Command('evalsha', ['sha', 1, ['key'], 'arg']);
    expect(command.toWritable({} as never)).toBe(
      '*5\r\n$7\r\nevalsha\r\n$3\r\nsha\r\n$1\r\n1\r\n$3\r\nkey\r\n$3\r\narg\r\n',
    );
  });
});
