import { describe, expect, it } from 'vitest';
import { shellCommands } from './shellScript.js';

describe('shellCommands', () => {
  it('joins continued lines, drops comments and keeps quoted words whole, with the first line of each command', () => {
    const script = "# a comment\nqtk quantize m.onnx -o 'a b.onnx' \\\n    --exclude \"/x y/\"   # trailing\n\nqtk --help\n";
    expect(shellCommands(script)).toEqual([
      { line: 2, argv: ['qtk', 'quantize', 'm.onnx', '-o', 'a b.onnx', '--exclude', '/x y/'] },
      { line: 5, argv: ['qtk', '--help'] },
    ]);
  });

  it('expands variables set earlier in the script, bare, braced and inside double quotes but not single quotes', () => {
    const script = 'm=fixtures/m.onnx\nqtk inspect $m "${m}" \'$m\' $m.txt\n';
    expect(shellCommands(script)).toEqual([{ line: 2, argv: ['qtk', 'inspect', 'fixtures/m.onnx', 'fixtures/m.onnx', '$m', 'fixtures/m.onnx.txt'] }]);
  });

  it('refuses an unset variable, a pipe, a redirection and &&, naming the line', () => {
    expect(() => shellCommands('qtk inspect $nope\n')).toThrow("line 1: variable 'nope' is not set");
    expect(() => shellCommands('\nqtk inspect m | head\n')).toThrow(/line 2: '\|'/);
    expect(() => shellCommands('qtk inspect m --json > out.json\n')).toThrow(/line 1: '>'/);
    expect(() => shellCommands('npm ci && npm test\n')).toThrow(/line 1: '&'/);
  });
});
