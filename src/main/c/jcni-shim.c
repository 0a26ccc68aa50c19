/*
 * jcni-shim: the CNI plugin executable when the jcni agent runs on the node, so that a pod start
 * costs no JVM start (like nailgun's C client). It reads the config, finds the agent's socket in it
 * ("agentSocket"), hands the call over (env + stdin) and prints what the agent answers. Everything
 * else -- CLI use, VERSION, JCNI_NO_HANDOFF, no agent, a config it cannot read -- goes to the Java
 * launcher that sits next to it as jcni-java, with argv, environ and stdin as they came.
 *
 * It makes the decisions dev.jcni.handoff.HandoffClient makes, over the format of HandoffFrames
 * (all integers u32 big-endian):
 *   request:  "JCNI1" u32 n (u32 len, "KEY=VALUE") x n  u32 len, stdin     at most 1 MiB after the magic
 *   response: u32 exit  u32 len, stdout  u32 len, stderr                   at most 1 MiB; exit
 *             0xFFFFFFFF means "not run: do it yourself"
 *   - not connected, or the request not taken in full (the agent runs only complete requests): run
 *     the call in Java;
 *   - taken but no complete answer within 60 s: CNI error 11 "try again" (the effects are unknown;
 *     the runtime then sends DEL, and every step of ADD is idempotent).
 *
 * C11 + Linux + libc, nothing else. Build: scripts/build-shim.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_FRAME (1u << 20)           /* HandoffFrames.MAX_FRAME */
#define MAX_STDIN MAX_FRAME            /* more than this goes to Java (which then runs it itself) */
#define ANSWER_TIMEOUT_MS 60000        /* HandoffClient.ANSWER_TIMEOUT_MS */
#define NOT_SERVED 0xFFFFFFFFu         /* HandoffFrames.NOT_SERVED */
#define TRY_AGAIN_LATER 11             /* the CNI spec's error code */
#define DEFAULT_VERSION "1.1.0"
#define JAVA_LAUNCHER "jcni-java"

static const char MAGIC[5] = {'J', 'C', 'N', 'I', '1'};

/* ------------------------------------------------------------------ byte buffers */

struct buf {
    unsigned char *data;
    size_t len, cap;
};

/* Room for at least `more` bytes after len, never beyond `limit` in total; 0 or -1 (ENOMEM / over limit). */
static int buf_reserve(struct buf *b, size_t more, size_t limit) {
    if (more > limit || b->len > limit - more) return -1;
    size_t need = b->len + more;
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : limit < 4096 ? limit : 4096;
    while (cap < need) cap = cap > limit / 2 ? limit : cap * 2;
    unsigned char *d = realloc(b->data, cap);
    if (!d) return -1;
    b->data = d;
    b->cap = cap;
    return 0;
}

static void put_u32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get_u32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* ------------------------------------------------------------------ plain fd I/O */

static int write_all(int fd, const void *data, size_t len) {
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ------------------------------------------------------------------ CNI errors on stdout */

/* Writes s as the inside of a JSON string (escaped) into out; always NUL-terminates. */
static void json_escape(char *out, size_t cap, const char *s) {
    size_t o = 0;
    for (; *s && o + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20) {
            o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
}

/* The CNI error object on stdout, as the Java plugin prints it; returns 1 (the exit code). */
static int cni_error(const char *version, int code, const char *msg, const char *details) {
    char m[512], d[1024], line[2048];
    json_escape(m, sizeof m, msg);
    json_escape(d, sizeof d, details);
    int n = snprintf(line, sizeof line, "{\"cniVersion\":\"%s\",\"code\":%d,\"msg\":\"%s\",\"details\":\"%s\"}\n",
                     version, code, m, d);
    if (n > 0) (void)write_all(1, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    return 1;
}

/* ------------------------------------------------------------------ the Java launcher */

/* Runs jcni-java from this executable's own directory (not argv[0], not PATH), argv and environ unchanged.
 * With `in` set, stdin becomes a memfd holding in's bytes and then (copy_rest) whatever fd 0 still has. */
static int exec_java(char **argv, const struct buf *in, int copy_rest, const char *version) {
    const char *cni = getenv("CNI_COMMAND");
    int as_plugin = cni && *cni;
    char self[PATH_MAX], why[PATH_MAX + 128];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self);
    if (n <= 0 || (size_t)n >= sizeof self - sizeof JAVA_LAUNCHER - 1) {
        snprintf(why, sizeof why, "cannot read /proc/self/exe: %s", n < 0 ? strerror(errno) : "path too long");
        goto fail;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash) {
        snprintf(why, sizeof why, "/proc/self/exe is not a path: %s", self);
        goto fail;
    }
    memcpy(slash + 1, JAVA_LAUNCHER, sizeof JAVA_LAUNCHER); /* fits: checked against the length above */

    if (in) {
        int fd = memfd_create("jcni-stdin", MFD_CLOEXEC);
        if (fd < 0) {
            snprintf(why, sizeof why, "memfd_create: %s", strerror(errno));
            goto fail;
        }
        if (in->len > 0 && write_all(fd, in->data, in->len) < 0) {
            snprintf(why, sizeof why, "writing stdin to a memfd: %s", strerror(errno));
            goto fail;
        }
        if (copy_rest) {
            unsigned char chunk[16384];
            for (;;) {
                ssize_t r = read(0, chunk, sizeof chunk);
                if (r == 0) break;
                if (r < 0) {
                    if (errno == EINTR) continue;
                    snprintf(why, sizeof why, "reading stdin: %s", strerror(errno));
                    goto fail;
                }
                if (write_all(fd, chunk, (size_t)r) < 0) {
                    snprintf(why, sizeof why, "writing stdin to a memfd: %s", strerror(errno));
                    goto fail;
                }
            }
        }
        if (lseek(fd, 0, SEEK_SET) < 0 || dup2(fd, 0) < 0) { /* dup2 clears close-on-exec on fd 0 */
            snprintf(why, sizeof why, "re-supplying stdin: %s", strerror(errno));
            goto fail;
        }
        close(fd);
    }
    static char *no_args[] = {JAVA_LAUNCHER, NULL};
    execv(self, argv && argv[0] ? argv : no_args);
    snprintf(why, sizeof why, "cannot run %s: %s", self, strerror(errno));
fail:
    if (as_plugin) return cni_error(version, 999, "jcni: cannot start the Java plugin", why);
    fprintf(stderr, "jcni: %s\n", why);
    return 1;
}

/* ------------------------------------------------------------------ the config: agentSocket, cniVersion */

/* A careful scan of the top-level object, not a parser: whatever it cannot read with certainty ends in
 * "no socket", and the Java plugin, which parses for real, takes over. */
struct scan {
    const unsigned char *p, *end;
};

static void skip_ws(struct scan *s) {
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')) s->p++;
}

/* At a '"': moves past the closing quote; the raw contents (escapes undecoded) in [*start, *start+*len). */
static int scan_string(struct scan *s, const unsigned char **start, size_t *len) {
    if (s->p >= s->end || *s->p != '"') return -1;
    const unsigned char *q = ++s->p;
    while (q < s->end && *q != '"') {
        if (*q < 0x20) return -1;          /* not JSON */
        if (*q == '\\' && ++q >= s->end) return -1;
        q++;
    }
    if (q >= s->end) return -1;
    *start = s->p;
    *len = (size_t)(q - s->p);
    s->p = q + 1;
    return 0;
}

/* Decodes \" \\ \/ only (a socket path or a version needs no other); anything else: -1. */
static int decode_string(const unsigned char *raw, size_t len, char *out, size_t cap) {
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = raw[i];
        if (c == '\\') {
            c = raw[++i]; /* scan_string guarantees a character after a backslash */
            if (c != '"' && c != '\\' && c != '/') return -1;
        }
        if (o + 1 >= cap) return -1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return 0;
}

/* Skips one value of any kind: strings whole, objects and arrays by depth, scalars to the next delimiter. */
static int skip_value(struct scan *s) {
    const unsigned char *start;
    size_t len;
    if (s->p >= s->end) return -1;
    if (*s->p == '"') return scan_string(s, &start, &len);
    if (*s->p == '{' || *s->p == '[') {
        size_t depth = 0;
        while (s->p < s->end) {
            unsigned char c = *s->p;
            if (c == '"') {
                if (scan_string(s, &start, &len) < 0) return -1;
                continue;
            }
            s->p++;
            if (c == '{' || c == '[') depth++;
            else if ((c == '}' || c == ']') && --depth == 0) return 0;
        }
        return -1;
    }
    const unsigned char *from = s->p;
    while (s->p < s->end && !strchr(",}] \t\r\n", *s->p)) s->p++;
    return s->p > from ? 0 : -1;
}

/* CniVersion's pattern: (0|[1-9]\d{0,8}) three times, dot-separated. */
static int is_version(const char *v) {
    for (int part = 0; part < 3; part++) {
        size_t digits = 0;
        if (*v == '0') {
            v++;
            digits = 1;
        } else {
            while (*v >= '0' && *v <= '9' && digits < 10) v++, digits++;
        }
        if (digits == 0 || digits > 9 || (*v >= '0' && *v <= '9')) return 0;
        if (part < 2 && *v++ != '.') return 0;
    }
    return *v == '\0';
}

/* Fills sock (an absolute path that fits sun_path) and returns 1 when the config names the agent's
 * socket unambiguously; version gets the config's cniVersion when it is a valid one. */
static int scan_config(const struct buf *in, char *sock, size_t sock_cap, char *version, size_t version_cap) {
    struct scan s = {in->data, in->data + in->len};
    int found = 0, ambiguous = 0;
    const unsigned char *raw;
    size_t len;
    char key[32], v[32];
    skip_ws(&s);
    if (s.p >= s.end || *s.p++ != '{') return 0;
    skip_ws(&s);
    if (s.p < s.end && *s.p == '}') return 0;
    for (;;) {
        skip_ws(&s);
        if (scan_string(&s, &raw, &len) < 0) return 0;
        /* A key that needs more than \" \\ \/ could spell agentSocket: leave it to Java. */
        int known = 0;
        if (decode_string(raw, len, key, sizeof key) < 0) {
            if (memchr(raw, '\\', len)) return 0;
        } else {
            known = !strcmp(key, "agentSocket") ? 1 : !strcmp(key, "cniVersion") ? 2 : 0;
        }
        skip_ws(&s);
        if (s.p >= s.end || *s.p++ != ':') return 0;
        skip_ws(&s);
        if (known && s.p < s.end && *s.p == '"') {
            if (scan_string(&s, &raw, &len) < 0) return 0;
            if (known == 1) {
                if (found || decode_string(raw, len, sock, sock_cap) < 0 || sock[0] != '/') ambiguous = 1;
                found = 1;
            } else if (decode_string(raw, len, v, sizeof v) == 0 && is_version(v) && strlen(v) < version_cap) {
                strcpy(version, v);
            }
        } else {
            if (known == 1) ambiguous = 1; /* not a string: Java reports what it makes of it */
            if (skip_value(&s) < 0) return 0;
        }
        skip_ws(&s);
        if (s.p >= s.end) return 0;
        if (*s.p == ',') {
            s.p++;
            continue;
        }
        if (*s.p++ != '}') return 0;
        break;
    }
    skip_ws(&s);
    return found && !ambiguous && s.p == s.end;
}

/* ------------------------------------------------------------------ stdin */

/* Reads all of stdin into in: 0 done; 1 not all of it held (more than MAX_STDIN, or no memory: the rest
 * is still on fd 0); -1 a read error. */
static int read_stdin(struct buf *in) {
    for (;;) {
        if (in->len == in->cap && buf_reserve(in, 1, MAX_STDIN + 1) < 0) return 1;
        ssize_t n = read(0, in->data + in->len, in->cap - in->len);
        if (n == 0) return 0;
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        in->len += (size_t)n;
        if (in->len > MAX_STDIN) return 1;
    }
}

/* ------------------------------------------------------------------ the agent */

static int64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Waits for `events` on fd until the deadline: 1 ready, 0 timed out, -1 error. */
static int wait_fd(int fd, short events, int64_t deadline) {
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left <= 0) return 0;
        struct pollfd p = {.fd = fd, .events = events};
        int r = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
        if (r < 0 && errno == EINTR) continue;
        return r;
    }
}

/* The request frame for this process's environment and stdin; -1 when it would exceed MAX_FRAME. */
static int build_request(const struct buf *in, struct buf *req) {
    size_t body = 4 + 4 + in->len;
    uint32_t n = 0;
    for (char **e = environ; *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || eq == *e) continue; /* not KEY=VALUE: the agent would refuse the frame */
        size_t len = strlen(*e);
        if (len > MAX_FRAME || body + 4 + len > MAX_FRAME) return -1;
        body += 4 + len;
        n++;
    }
    if (body > MAX_FRAME || buf_reserve(req, sizeof MAGIC + body, sizeof MAGIC + MAX_FRAME) < 0) return -1;
    unsigned char *p = req->data;
    memcpy(p, MAGIC, sizeof MAGIC);
    p += sizeof MAGIC;
    put_u32(p, n);
    p += 4;
    for (char **e = environ; *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || eq == *e) continue;
        size_t len = strlen(*e);
        put_u32(p, (uint32_t)len);
        memcpy(p + 4, *e, len);
        p += 4 + len;
    }
    put_u32(p, (uint32_t)in->len);
    if (in->len) memcpy(p + 4, in->data, in->len);
    req->len = sizeof MAGIC + body;
    return 0;
}

/* A connected, non-blocking socket to the agent, or -1 (nothing sent: the caller runs Java). A full
 * backlog (EAGAIN) counts as "not there" instead of blocking on a stopped agent. */
static int connect_agent(const char *path) {
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    size_t len = strlen(path);
    if (len >= sizeof a.sun_path) return -1;
    memcpy(a.sun_path, path, len + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

enum outcome { HANDLED, NOT_SENT, LOST };

/* Sends the request and reads the answer into resp (exit, stdout, stderr as in the frame). */
static enum outcome exchange(int fd, const struct buf *req, struct buf *resp, char *why, size_t why_cap) {
    int64_t deadline = now_ms() + ANSWER_TIMEOUT_MS;
    for (size_t off = 0; off < req->len;) {
        ssize_t n = send(fd, req->data + off, req->len - off, MSG_NOSIGNAL);
        if (n > 0) {
            off += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int r = wait_fd(fd, POLLOUT, deadline);
            if (r <= 0) {
                snprintf(why, why_cap, "the agent did not take the request: %s", r == 0 ? "timed out" : strerror(errno));
                return NOT_SENT;
            }
        } else {
            snprintf(why, why_cap, "the agent did not take the request: %s", n < 0 ? strerror(errno) : "send returned 0");
            return NOT_SENT;
        }
    }
    /* The answer's size is known once its lengths are here; the buffer grows with what arrives. */
    size_t total = 0;
    for (;;) {
        if (total == 0 && resp->len >= 8) {
            uint32_t out = get_u32(resp->data + 4);
            if (out > MAX_FRAME - 12) goto malformed;
            if (resp->len >= 12 + (size_t)out) {
                uint32_t err = get_u32(resp->data + 8 + out);
                if (err > MAX_FRAME - 12 - out) goto malformed;
                total = 12 + (size_t)out + err;
            }
        }
        if (total && resp->len >= total) return HANDLED;
        if (resp->len == resp->cap && buf_reserve(resp, 1, MAX_FRAME) < 0) {
            snprintf(why, why_cap, "no memory for the agent's answer");
            return LOST;
        }
        ssize_t n = recv(fd, resp->data + resp->len, resp->cap - resp->len, 0);
        if (n > 0) {
            resp->len += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int r = wait_fd(fd, POLLIN, deadline);
            if (r == 0) {
                snprintf(why, why_cap, "no answer within %d s", ANSWER_TIMEOUT_MS / 1000);
                return LOST;
            }
            if (r < 0) {
                snprintf(why, why_cap, "poll: %s", strerror(errno));
                return LOST;
            }
        } else {
            /* 0, or ECONNRESET: the agent went away */
            snprintf(why, why_cap, "the connection closed after %zu bytes of the answer%s%s", resp->len,
                     n < 0 ? ": " : "", n < 0 ? strerror(errno) : "");
            return LOST;
        }
    }
malformed:
    snprintf(why, why_cap, "the answer is not a jcni response frame");
    return LOST;
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv) {
    (void)argc;
    char version[32] = DEFAULT_VERSION;
    const char *cmd = getenv("CNI_COMMAND");
    if (!cmd || !*cmd || getenv("JCNI_NO_HANDOFF") || !strcmp(cmd, "VERSION")) {
        return exec_java(argv, NULL, 0, version);
    }

    struct buf in = {0};
    int r = read_stdin(&in);
    if (r != 0) return exec_java(argv, &in, r == 1, version); /* too large or unreadable: Java decides */

    char sock[sizeof ((struct sockaddr_un *)0)->sun_path];
    if (!scan_config(&in, sock, sizeof sock, version, sizeof version)) return exec_java(argv, &in, 0, version);

    struct buf req = {0};
    if (build_request(&in, &req) < 0) return exec_java(argv, &in, 0, version);
    int fd = connect_agent(sock);
    if (fd < 0) return exec_java(argv, &in, 0, version);

    struct buf resp = {0};
    char why[256], details[512];
    enum outcome o = exchange(fd, &req, &resp, why, sizeof why);
    close(fd);
    free(req.data);
    if (o == NOT_SENT || (o == HANDLED && get_u32(resp.data) == NOT_SERVED)) {
        return exec_java(argv, &in, 0, version); /* the agent did not run it */
    }
    if (o == LOST) {
        snprintf(details, sizeof details, "the agent on %s did not answer: %s", sock, why);
        return cni_error(version, TRY_AGAIN_LATER, "the jcni agent did not answer; try again", details);
    }

    uint32_t out_len = get_u32(resp.data + 4);
    const unsigned char *out = resp.data + 8;
    uint32_t err_len = get_u32(out + out_len);
    const unsigned char *err = out + out_len + 4;
    (void)write_all(2, err, err_len); /* diagnostics: a closed stderr changes nothing */
    if (write_all(1, out, out_len) < 0) return 1;  /* the runtime did not get the result */
    return (int)(get_u32(resp.data) & 0xff);
}
