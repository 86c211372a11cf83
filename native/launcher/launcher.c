/* Launcher for Smithcoin's executables: runs Node.js on the program's compiled entry point.
 *
 * Node.js cannot exec(), so a plain `node x.js` would leave a parent process around. This launcher
 * execs Node in its own process instead: the PID a caller holds is the program's.
 *
 * Built with -DLAUNCHER_WRAPPER it is the `smithcoin` command: it runs the TypeScript wrapper as
 * a child, reads its decision from fd 3 ("exec\0<path>\0<argv0>\0<args>..." or "exit\0<status>") and then
 * execs the chosen program in this process, as Core's wrapper does with execvp.
 *
 * Nothing here depends on where the build ran: the JavaScript is found beside the launcher's own
 * file, and Node.js is $SMITHCOIN_NODE when set, else the node found at configure time, else the
 * first `node` on PATH, so an install keeps working after the build machine's node moves.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef LAUNCHER_ENTRY
#error "LAUNCHER_ENTRY must name the entry point under the js directory"
#endif
#ifndef LAUNCHER_BOOT
#define LAUNCHER_BOOT "src/boot.js"
#endif
#ifndef LAUNCHER_NODE
#define LAUNCHER_NODE "node"
#endif

/* Where the compiled JavaScript lives relative to the launcher: the build tree, then an install. */
static const char *const JS_DIRS[] = {"../js", "../lib/smithcoin/js"};

static void die(const char *what)
{
    fprintf(stderr, "Error: %s: %s\n", what, strerror(errno));
    exit(127);
}

static void find_entry(char *out, size_t size, char *boot, size_t boot_size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n < 0) die("cannot locate this executable");
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash) *slash = '\0';
    for (size_t i = 0; i < sizeof(JS_DIRS) / sizeof(JS_DIRS[0]); ++i) {
        int written = snprintf(out, size, "%s/%s/%s", self, JS_DIRS[i], LAUNCHER_ENTRY);
        if (written < 0 || (size_t)written >= size) continue;
        if (access(out, R_OK) != 0) continue;
        written = snprintf(boot, boot_size, "%s/%s/%s", self, JS_DIRS[i], LAUNCHER_BOOT);
        if (written < 0 || (size_t)written >= boot_size || access(boot, R_OK) != 0) {
            fprintf(stderr, "Error: cannot find %s beside %s\n", LAUNCHER_BOOT, out);
            exit(127);
        }
        return;
    }
    fprintf(stderr, "Error: cannot find %s beside %s\n", LAUNCHER_ENTRY, self);
    exit(127);
}

/* True for the errors that mean "this file is not there", after which the next node is tried. */
static int is_missing(int err)
{
    return err == ENOENT || err == ENOTDIR;
}

/*
 * Execs Node.js with args[1..] (args[0] is set here). The user's choice, SMITHCOIN_NODE, is final:
 * when it fails there is no fallback. Only a configured node that is gone falls back to PATH; one
 * that is there but cannot run is an error, as that is a broken installation, not a moved one.
 * Returns only on failure, after printing why.
 */
/*
 * Node 20 parses its whole built-in CA bundle and the NODE_EXTRA_CA_CERTS file while it starts whenever that
 * variable is set: about 400M instructions, most of a bare `node -e 0`, for programs that make no TLS connection.
 * Node is started without it; the original value rides along in SMITHCOIN_NODE_EXTRA_CA_CERTS and src/boot.ts
 * puts it back into process.env, so the commands the program runs (-blocknotify, …) see the user's environment.
 */
static void keep_extra_ca_certs_from_node(void)
{
    const char *certs = getenv("NODE_EXTRA_CA_CERTS");
    if (!certs) return;
    if (setenv("SMITHCOIN_NODE_EXTRA_CA_CERTS", certs, 1) != 0) die("setenv");
    if (unsetenv("NODE_EXTRA_CA_CERTS") != 0) die("unsetenv");
}

static void exec_node(char **args)
{
    keep_extra_ca_certs_from_node();
    const char *env = getenv("SMITHCOIN_NODE");
    if (env && *env) {
        args[0] = (char *)env;
        execvp(env, args);
        fprintf(stderr, "Error: cannot run Node.js from SMITHCOIN_NODE=%s: %s\n", env, strerror(errno));
        return;
    }
    const char *configured = LAUNCHER_NODE;
    if (strchr(configured, '/')) {
        args[0] = (char *)configured;
        execv(configured, args);
        if (!is_missing(errno)) {
            fprintf(stderr, "Error: cannot run Node.js %s: %s\n", configured, strerror(errno));
            return;
        }
    }
    args[0] = "node";
    execvp("node", args);
    if (!is_missing(errno)) {
        fprintf(stderr, "Error: cannot run Node.js (node on PATH): %s\n", strerror(errno));
    } else if (strchr(configured, '/')) {
        fprintf(stderr, "Error: cannot find Node.js: %s is gone and there is no node on PATH. "
                        "Install Node.js or set SMITHCOIN_NODE to its path.\n", configured);
    } else {
        fprintf(stderr, "Error: cannot find Node.js: there is no node on PATH. "
                        "Install Node.js or set SMITHCOIN_NODE to its path.\n");
    }
}

/*
 * --v8-pool-size=<n>: V8's background threads (optimizing compiles, GC helpers) get one CPU fewer than this process
 * may run on, from 1 to Node's default of 4. With Node's 4 on a 2-CPU machine, a fresh node's optimizing compiles
 * ran beside the main thread on every CPU and slowed it: `generatetoaddress 1000` took a quarter longer. A Node
 * option rather than a V8 flag, so Node keeps its own code cache (which any V8 flag on the command line voids).
 */
static char *v8_pool_size_arg(void)
{
    static char arg[32];
    long cpus = 0;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) cpus = CPU_COUNT(&set);
    if (cpus <= 0) cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long threads = cpus - 1;
    if (threads < 1) threads = 1;
    if (threads > 4) threads = 4;
    snprintf(arg, sizeof(arg), "--v8-pool-size=%ld", threads);
    return arg;
}

/*
 * argv for node: node --no-warnings --experimental-vm-modules --v8-pool-size=<n> <boot> <entry> <user args...>;
 * args[0] is filled in by exec_node. The boot module loads the entry's modules with the build's V8 code cache (src/boot.ts), which
 * needs vm.SourceTextModule; it gives the program the argv `node <entry> <user args...>`.
 */
static char **node_argv(const char *boot, const char *entry, int argc, char **argv)
{
    char **args = calloc((size_t)argc + 6, sizeof(char *));
    if (!args) die("out of memory");
    args[1] = "--no-warnings";
    args[2] = "--experimental-vm-modules";
    args[3] = v8_pool_size_arg();
    args[4] = (char *)boot;
    args[5] = (char *)entry;
    for (int i = 1; i < argc; ++i) args[i + 5] = argv[i];
    return args;
}

#ifndef LAUNCHER_WRAPPER
int main(int argc, char **argv)
{
    char entry[PATH_MAX], boot[PATH_MAX];
    find_entry(entry, sizeof(entry), boot, sizeof(boot));
    exec_node(node_argv(boot, entry, argc, argv));
    return 127;
}
#else
static char *read_all(int fd, size_t *len)
{
    size_t cap = 4096, used = 0;
    char *buf = malloc(cap);
    if (!buf) die("out of memory");
    for (;;) {
        if (used == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) die("out of memory");
        }
        ssize_t n = read(fd, buf + used, cap - used);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) die("cannot read the wrapper's decision");
        if (n == 0) break;
        used += (size_t)n;
    }
    *len = used;
    return buf;
}

int main(int argc, char **argv)
{
    char entry[PATH_MAX], boot[PATH_MAX];
    find_entry(entry, sizeof(entry), boot, sizeof(boot));
    int fds[2];
    if (pipe(fds) != 0) die("pipe");
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        close(fds[0]);
        if (fds[1] != 3) {
            if (dup2(fds[1], 3) < 0) _exit(127);
            close(fds[1]);
        }
        setenv("SMITHCOIN_WRAPPER_ARGV0", argv[0], 1);
        exec_node(node_argv(boot, entry, argc, argv));
        _exit(127);
    }
    close(fds[1]);
    size_t len = 0;
    char *plan = read_all(fds[0], &len);
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) die("waitpid");
    }
    if (!WIFEXITED(status)) return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);

    /* Split the NUL-separated fields. */
    size_t count = 0;
    for (size_t i = 0; i < len; ++i) count += plan[i] == '\0';
    if (count < 2) return WEXITSTATUS(status) ? WEXITSTATUS(status) : 1;
    /* The wrapper may only decide once; anything else means it failed before deciding. */
    char **fields = calloc(count + 1, sizeof(char *));
    if (!fields) die("out of memory");
    size_t k = 0;
    for (size_t i = 0; i < len && k < count; ++k) {
        fields[k] = plan + i;
        i += strlen(plan + i) + 1;
    }
    if (strcmp(fields[0], "exit") == 0) return atoi(fields[1]);
    if (strcmp(fields[0], "exec") != 0 || count < 3) return 1;
    fflush(stdout);
    execv(fields[1], fields + 2);
    fprintf(stderr, "Error: execvp failed to execute '%s': %s\nTry '%s --help' for more information.\n",
            fields[1], strerror(errno), argv[0]);
    return 1;
}
#endif
