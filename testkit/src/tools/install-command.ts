/**
 * The one command that installs a set of tools on this machine: apt-get on
 * Debian and its derivatives, Homebrew on macOS, else the package names to look
 * for in the system's own package manager.
 */
import type { Tool } from './catalogue';
import { findOnPath } from './find-on-path';

export interface Host {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Effective user id; root needs no sudo. */
  uid?: number;
  /** Where the system's directories are. @defaultValue `/` (tests move it) */
  root?: string;
}

export type PackageManager = 'apt' | 'brew' | 'other';

export function packageManager({ platform = process.platform, env = process.env }: Host = {}): PackageManager {
  if (platform === 'darwin') return 'brew';
  if (platform === 'linux' && findOnPath('apt-get', env)) return 'apt';
  return 'other';
}

/** Debian package names of `tools`, each once, in catalogue order. */
export function debianPackages(tools: readonly Tool[]): string[] {
  return [...new Set(tools.map((tool) => tool.debian))];
}

export function installCommand(tools: readonly Tool[], host: Host = {}): string {
  const uid = host.uid ?? process.getuid?.();
  switch (packageManager(host)) {
    case 'apt':
      return `${uid === 0 ? '' : 'sudo '}apt-get install -y ${debianPackages(tools).join(' ')}`;
    case 'brew': {
      const formulas = [...new Set(tools.map((tool) => tool.homebrew))];
      const casks = formulas.filter((f) => f.startsWith('--cask ')).map((f) => f.slice('--cask '.length));
      const plain = formulas.filter((f) => !f.startsWith('--cask '));
      return [plain.length > 0 && `brew install ${plain.join(' ')}`, casks.length > 0 && `brew install --cask ${casks.join(' ')}`].filter(Boolean).join(' && ');
    }
    case 'other':
      return `your package manager's packages for ${debianPackages(tools).join(', ')} (Debian's names), or set ${tools.map((tool) => tool.envVar).join(', ')} to the programs`;
  }
}
