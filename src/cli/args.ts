// Tiny flag parser: --name value, --name=value, --flag.

export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | true>>;
  readonly positional: readonly string[];
}

export function parseArgs(argv: readonly string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (booleanFlags.includes(arg.slice(2)) || i + 1 >= argv.length || argv[i + 1]!.startsWith('--')) flags[arg.slice(2)] = true;
    else flags[arg.slice(2)] = argv[++i]!;
  }
  return { flags, positional };
}

export function stringFlag(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : fallback;
}
