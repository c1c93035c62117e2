import { api, mediaPreview, qs } from '../api.js';
import { announce, empty, failure, field, fill, h, when } from '../dom.js';

/** The states GET /v1/posts filters by, as the API's own OpenAPI document lists them. */
async function states() {
  const doc = await api('/openapi.json');
  const param = doc.paths['/v1/posts'].get.parameters.find((p) => p.name === 'state');
  return ['', ...(param?.schema.enum ?? [])];
}
const CANCELLABLE = new Set(['scheduled', 'media_hosted', 'container_created', 'container_ready']);

const VIDEO = /\.(mp4|mov|m4v)(\?.*)?$/i;

/**
 * The first medium: from this origin as it is, from another host through the API's preview
 * (the console loads nothing from other hosts); a video is named, not played.
 */
function thumbnail(post) {
  const media = post.media[0];
  const src = media?.url ?? media?.source;
  if (!src) return h('div', { class: 'thumb none' }, 'no media');
  let url;
  try {
    url = new URL(src, location.href);
  } catch {
    return h('div', { class: 'thumb none' }, src);
  }
  const alt = `media of post ${post.id}`;
  if (url.origin === location.origin || url.protocol === 'data:') {
    return h('img', { class: 'thumb', src: url.href, alt, loading: 'lazy' });
  }
  if (media.type === 'video' || VIDEO.test(url.pathname)) {
    return h('div', { class: 'thumb none', title: url.href }, `video on ${url.host}`);
  }
  const slot = h('div', { class: 'thumb none', title: url.href }, `media on ${url.host}`);
  mediaPreview(post.id, 0).then(
    (preview) => {
      const img = h('img', { class: 'thumb', src: preview, alt, title: url.href });
      img.addEventListener('load', () => URL.revokeObjectURL(preview), { once: true });
      slot.replaceWith(img);
    },
    (error) => slot.append(h('small', {}, `no preview: ${error.message}`)),
  );
  return slot;
}

function card(post, refresh, out) {
  const act = (label, cls, path, method) =>
    h(
      'button',
      {
        type: 'button',
        class: cls,
        onclick: async () => {
          try {
            const { post: changed } = await api(path, { method });
            announce(`Post ${changed.id} is ${changed.state}.`);
            await refresh();
          } catch (error) {
            fill(out, failure(error));
          }
        },
      },
      label,
    );
  const id = encodeURIComponent(post.id);
  return h(
    'li',
    { class: `post card ${post.state}` },
    thumbnail(post),
    h(
      'div',
      {},
      h(
        'h3',
        {},
        `${post.character} · ${post.kind} `,
        h('span', { class: `badge ${post.state}` }, post.state),
      ),
      h(
        'p',
        { class: 'muted' },
        `Scheduled ${when(post.scheduledAt)} · attempts ${post.attempts} · id ${post.id}`,
      ),
      post.caption && h('p', { class: 'clip' }, post.caption),
      post.reason &&
        h('p', { class: post.state === 'failed' ? 'error reason' : 'reason' }, `Reason: ${post.reason}`),
      post.error &&
        h(
          'p',
          { class: 'muted' },
          `Meta error: ${post.error.kind}${post.error.code ? ` ${post.error.code}` : ''}${post.error.subcode ? `/${post.error.subcode}` : ''}`,
        ),
      // Only an https link is followed: a stored value is never run as a javascript: URL.
      /^https:\/\//.test(post.permalink ?? '') &&
        h(
          'p',
          {},
          h('a', { href: post.permalink, rel: 'noreferrer', target: '_blank' }, 'Open on Instagram'),
        ),
      h(
        'div',
        { class: 'actions' },
        post.state === 'failed' && act('Retry', 'primary', `/posts/${id}/retry`, 'POST'),
        CANCELLABLE.has(post.state) && act('Cancel', 'danger', `/posts/${id}`, 'DELETE'),
      ),
    ),
  );
}

/** The Instagram queue: each post's state and reason, retry a failed one, cancel a waiting one. */
export async function postsView(el, ctx) {
  const state = h(
    'select',
    {},
    (await states()).map((s) => h('option', { value: s }, s || 'any state')),
  );
  const mine = h('input', { type: 'checkbox', checked: true });
  const list = h('ul', { class: 'posts' });
  const out = h('div', { role: 'status' });
  async function refresh() {
    try {
      const { posts } = await api(
        `/posts${qs({ state: state.value, character: mine.checked ? ctx.agent : '' })}`,
      );
      fill(
        list,
        posts.length === 0
          ? empty('No posts here yet: queue one with POST /v1/posts or `carrier posts add`.')
          : posts.map((p) => card(p, refresh, out)),
      );
    } catch (error) {
      fill(list, failure(error));
    }
  }
  state.addEventListener('change', refresh);
  mine.addEventListener('change', refresh);
  fill(el, h('div', { class: 'row' }, field('State', state), field(`Only ${ctx.agent}`, mine)), out, list);
  await refresh();
}
