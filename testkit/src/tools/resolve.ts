/**
 * Finding a tool of the catalogue: `$<TOOL>_BIN` when set (it must be
 * executable), else its names on the PATH, else the places its package keeps it
 * off the PATH. A missing tool is reported with the command that installs it,
 * because "spawn ENOENT" tells a newcomer nothing.
 */
import { isAbsolute, join } from 'node:path';
import { toolById, type Tool, type ToolId } from './catalogue';
import { findOnPath, isExecutable } from './find-on-path';
import { installCommand } from './install-command';

export type ToolLookup = { found: true; path: string } | { found: false; reason: string };

/** Where `id` is, or why it was not found. `root` is where the system's directories are (tests move it). */
export function lookUpTool(id: ToolId, env: NodeJS.ProcessEnv = process.env, root = '/'): ToolLookup {
  const tool = toolById(id);
  const configured = env[tool.envVar];
  if (configured) {
    const path = isAbsolute(configured) ? (isExecutable(configured) ? configured : undefined) : findOnPath(configured, env);
    return path ? { found: true, path } : { found: false, reason: `${tool.envVar}=${configured} is not an executable` };
  }
  for (const command of tool.commands) {
    const path = findOnPath(command, env);
    if (path) return { found: true, path };
  }
  for (const directory of tool.directories?.(root) ?? []) {
    for (const command of tool.commands) {
      const path = join(directory, command);
      if (isExecutable(path)) return { found: true, path };
    }
  }
  return { found: false, reason: `no ${tool.commands.map((c) => `\`${c}\``).join(' or ')} on the PATH, ${tool.envVar} unset` };
}

export class MissingToolError extends Error {
  readonly installCommand: string;
  constructor(
    readonly tool: Tool,
    reason: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const command = installCommand([tool], { env });
    super(`${tool.label} is not installed (${reason}). Install it with: ${command}`);
    this.name = 'MissingToolError';
    this.installCommand = command;
  }
}

/** The path of `id`; throws {@link MissingToolError} naming the install command. */
export function resolveTool(id: ToolId, env: NodeJS.ProcessEnv = process.env): string {
  const lookup = lookUpTool(id, env);
  if (lookup.found) return lookup.path;
  throw new MissingToolError(toolById(id), lookup.reason, env);
}
