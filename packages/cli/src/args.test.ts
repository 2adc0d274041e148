import { describe, expect, it } from 'vitest';
import { formatHelp, numberListOpt, parseCommandArgs, parseNumber, splitList, type CommandSpec } from './args.js';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'S',
  usage: 'demo [options]',
  options: {
    out: { type: 'string', short: 'o', value: 'F', help: 'output' },
    level: { type: 'string', value: 'DB', group: 'tuning', help: 'level' },
    tag: { type: 'string', value: 'T', group: 'tuning', multiple: true, help: 'tag' },
    fast: { type: 'boolean', group: 'speed', help: 'go fast' },
  },
};

describe('argument helpers', () => {
  it('splits comma lists, keeping commas inside /regex/ items', () => {
    expect(splitList('a, b,,c')).toEqual(['a', 'b', 'c']);
    expect(splitList('/x{1,2}/,y')).toEqual(['/x{1,2}/', 'y']);
    expect(splitList(' /a\\/b,c/ , /d/')).toEqual(['/a\\/b,c/', '/d/']);
  });

  it('reads decimals, exponents and fractions; refuses other text', () => {
    expect(['1/255', '0.5', '-2', '1e-3', '.25', '3/4'].map(parseNumber)).toEqual([1 / 255, 0.5, -2, 0.001, 0.25, 0.75]);
    expect(['', 'abc', '1/0', '1/2/3', '0x10', 'Infinity', '1e999'].map(parseNumber)).toEqual(Array(7).fill(undefined));
  });

  it('a repeatable option keeps every occurrence; a negative number is a value, not an option', () => {
    const a = parseCommandArgs(spec, ['--tag', 'x', '--level', '-3.5', '--tag', 'y,z', 'pos']);
    expect(a.lists?.tag).toEqual(['x', 'y,z']);
    expect(a.values.tag).toBe('y,z');
    expect(a.values.level).toBe('-3.5');
    expect(a.positionals).toEqual(['pos']);
  });

  it('a bad item in a number list is named', () => {
    const a = parseCommandArgs(spec, ['--level', '0.5,x']);
    expect(() => numberListOpt(a, 'level')).toThrow("--level '0.5,x': item 1 is 'x'; give numbers separated by commas");
  });

  it('help lists options under their group headings, ungrouped ones first', () => {
    const help = formatHelp(spec);
    expect(help).toBe([
      'usage: qtk demo [options]', '', 'S', '',
      'options:', '  -o, --out F     output', '  -h, --help      show this help', '',
      'tuning:', '      --level DB  level', '      --tag T     tag (repeatable)', '',
      'speed:', '      --fast      go fast', '',
    ].join('\n'));
  });
});
