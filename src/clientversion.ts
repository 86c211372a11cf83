// Client name, version strings and the licence paragraph that every executable prints for -version.
import fs from 'node:fs';

export const CLIENT_NAME = 'Smithcoin Core';

interface BuildInfo {
  version: string;
  enableIpc: boolean;
}

function readBuildInfo(): BuildInfo {
  // The build writes js/build_config.json next to the compiled sources (see CMakeLists.txt).
  const url = new URL('../build_config.json', import.meta.url);
  try {
    const parsed = JSON.parse(fs.readFileSync(url, 'utf8')) as Partial<BuildInfo>;
    return { version: parsed.version ?? '0.0.0', enableIpc: parsed.enableIpc ?? false };
  } catch {
    return { version: '0.0.0', enableIpc: false };
  }
}

export const BUILD_INFO: BuildInfo = readBuildInfo();

/** "v0.1.0", the form Core's FormatFullVersion() gives for a release build. */
export function formatFullVersion(): string {
  return `v${BUILD_INFO.version}`;
}

export function licenseInfo(): string {
  return [
    `Copyright (C) 2026 The ${CLIENT_NAME} developers`,
    '',
    `Please contribute if you find ${CLIENT_NAME} useful.`,
    '',
    'This is experimental software.',
    'Distributed under the MIT software license, see the accompanying file LICENSE or <https://opensource.org/licenses/MIT>',
    '',
  ].join('\n');
}
