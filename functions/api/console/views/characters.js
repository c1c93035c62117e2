import { api } from '../api.js';
import { empty, h, prose, render, table } from '../dom.js';

/** Every character file and what is wrong with it, read now. */
export async function charactersView(el) {
  await render(el, async () => {
    const report = await api('/characters');
    const bad = report.characters.filter((c) => c.problems.length > 0);
    return h(
      'div',
      {},
      h(
        'p',
        {},
        `${report.characters.length} files, ${bad.length} with problems. Fix them and reload: files are read at every visit.`,
      ),
      report.problems.length > 0 &&
        h(
          'ul',
          { class: 'error' },
          report.problems.map((p) => h('li', {}, `${p.file}: ${p.message}`)),
        ),
      report.characters.length === 0
        ? empty('No character files: add characters/<id>.json.')
        : table(
            'Character files',
            [
              ['Id', (c) => c.id],
              ['Name', (c) => prose(c.name ?? '—')],
              ['File', (c) => prose(c.file, 'code')],
              ['Model', (c) => c.model ?? '—'],
              ['MCP servers', (c) => c.mcpServers.join(', ') || '—'],
              [
                'Problems',
                (c) =>
                  c.problems.length === 0
                    ? h('span', { class: 'ok' }, 'valid')
                    : h(
                        'ul',
                        { class: 'error prose' },
                        c.problems.map((p) => h('li', {}, p.path ? `${p.path}: ${p.message}` : p.message)),
                      ),
              ],
            ],
            report.characters,
          ),
    );
  });
}
