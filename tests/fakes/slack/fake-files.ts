import type { FakeAnswer } from './fake-slack.js';

/** One files.uploadV2 upload as the fake saw it. */
export interface FakeUpload {
  id: string;
  filename: string;
  /** What getUploadURLExternal was told. */
  length: number;
  /** What arrived at the upload URL. */
  bytes?: Buffer;
  /** completeUploadExternal's channel_id: set once the file is shared. */
  channel?: string;
  comment?: string;
}

/** A file a user shared with the bot. */
export interface FakeSharedFile {
  id: string;
  name: string;
  title: string;
  filetype: string;
  mimetype: string;
  size: number;
  url_private: string;
  url_private_download: string;
  bytes: Buffer;
  /** The Authorization header of every download. */
  downloads: string[];
}

/** The bot token the fake's file host accepts as a bearer (the harness's). */
const BOT_TOKEN = 'xoxb-test-token';

/**
 * Slack's files, on the fake's port: files.uploadV2's three steps (getUploadURLExternal, a POST
 * of the bytes to `/upload/<id>`, completeUploadExternal) and shared files (files.info and their
 * `url_private_download` under `/files-pri/`, which wants the bot token as a bearer).
 */
export class FakeSlackFiles {
  /** Uploads by file id: what was announced, the bytes POSTed, where it was shared. */
  readonly uploads = new Map<string, FakeUpload>();
  /** Files users shared, by id. */
  readonly files = new Map<string, FakeSharedFile>();
  /** Answer upload POSTs with this HTTP status instead of 200 (an upload host failure). */
  uploadStatus = 200;
  private next = 1;

  constructor(
    private readonly origin: () => string,
    private readonly notify: () => void,
  ) {}

  /** The file host's base, for the adapter's SLACK_FILES_URL. */
  get filesUrl(): string {
    return `${this.origin()}/files-pri/`;
  }

  /** A file a user shared (what files.info returns); `size` may lie, as a test wants. */
  shareFile(file: {
    name: string;
    content: string | Buffer;
    filetype?: string;
    mimetype?: string;
    size?: number;
  }): FakeSharedFile {
    const id = `FS${this.next++}`;
    const bytes = Buffer.from(file.content);
    const path = `${this.filesUrl}T111-${id}`;
    const shared: FakeSharedFile = {
      id,
      name: file.name,
      title: file.name,
      filetype: file.filetype ?? 'xml',
      mimetype: file.mimetype ?? 'text/xml',
      size: file.size ?? bytes.length,
      url_private: `${path}/${encodeURIComponent(file.name)}`,
      url_private_download: `${path}/download/${encodeURIComponent(file.name)}`,
      bytes,
      downloads: [],
    };
    this.files.set(id, shared);
    return shared;
  }

  /** The Web API methods about files; undefined for any other method. */
  answer(method: string, params: Record<string, unknown>): Record<string, unknown> | undefined {
    switch (method) {
      case 'files.getUploadURLExternal': {
        const id = `FU${this.next++}`;
        this.uploads.set(id, { id, filename: String(params.filename), length: Number(params.length) });
        return { ok: true, upload_url: `${this.origin()}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const listed = (Array.isArray(params.files) ? params.files : []) as { id?: string; title?: string }[];
        const done = listed.map((entry) => this.uploads.get(String(entry.id)));
        if (done.some((upload) => !upload?.bytes)) return { ok: false, error: 'file_not_found' };
        for (const upload of done) {
          if (!upload) continue;
          upload.channel = String(params.channel_id);
          if (params.initial_comment !== undefined) upload.comment = String(params.initial_comment);
        }
        return { ok: true, files: listed.map((entry) => ({ id: entry.id, title: entry.title })) };
      }
      case 'files.info': {
        const file = this.files.get(String(params.file));
        if (!file) return { ok: false, error: 'file_not_found' };
        const { bytes: _bytes, downloads: _downloads, ...shown } = file;
        return { ok: true, file: shown };
      }
      default:
        return undefined;
    }
  }

  /** The upload URL and the file host; undefined for any other path. */
  async serve(
    path: string,
    bytes: Buffer,
    headers: { 'content-type'?: string; authorization?: string },
  ): Promise<FakeAnswer | undefined> {
    if (path.startsWith('/upload/')) return this.receiveUpload(path, bytes, headers['content-type']);
    if (path.startsWith('/files-pri/')) return this.serveFile(path, headers.authorization);
    return undefined;
  }

  /** The WebClient POSTs the bytes as multipart form field `body`. */
  private async receiveUpload(path: string, bytes: Buffer, contentType: string | undefined): Promise<FakeAnswer> {
    const upload = this.uploads.get(path.split('/')[2] ?? '');
    setImmediate(() => this.notify());
    if (!upload) return { status: 404, body: 'unknown upload', raw: true };
    if (this.uploadStatus !== 200) return { status: this.uploadStatus, body: 'upload failed', raw: true };
    const form = await new Response(bytes, { headers: { 'content-type': contentType ?? '' } }).formData();
    const part = form.get('body');
    upload.bytes = typeof part === 'string' ? Buffer.from(part) : Buffer.from(await (part as Blob).arrayBuffer());
    return { body: `OK - ${upload.bytes.length}`, raw: true, headers: { 'content-type': 'text/plain' } };
  }

  /** Without the bot token Slack answers 200 with its sign-in page, not the file. */
  private serveFile(path: string, authorization: string | undefined): FakeAnswer {
    const id = /^\/files-pri\/[^/]+-(FS\d+)\//.exec(path)?.[1] ?? '';
    const file = this.files.get(id);
    if (!file) return { status: 404, body: 'not found', raw: true };
    file.downloads.push(authorization ?? '');
    setImmediate(() => this.notify());
    if (authorization !== `Bearer ${BOT_TOKEN}`)
      return { headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html>Sign in</html>', raw: true };
    return { headers: { 'content-type': file.mimetype }, body: file.bytes, raw: true };
  }
}
