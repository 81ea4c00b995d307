// A SQLite VFS that writes a transaction's WAL frames to the file in one
// system call instead of two per page (see walvfs.go). It wraps the
// default VFS: every other file, and every other method, goes straight
// through.
//
// The declarations below are SQLite's public ABI (sqlite3.h, which is in
// the public domain), as github.com/mattn/go-sqlite3 compiles it into the
// same binary; only what this file uses is declared.

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef long long int sqlite3_int64;
typedef struct sqlite3_file sqlite3_file;
typedef struct sqlite3_io_methods sqlite3_io_methods;
typedef struct sqlite3_vfs sqlite3_vfs;
typedef void (*sqlite3_syscall_ptr)(void);

struct sqlite3_file {
	const struct sqlite3_io_methods *pMethods;
};

struct sqlite3_io_methods {
	int iVersion;
	int (*xClose)(sqlite3_file *);
	int (*xRead)(sqlite3_file *, void *, int iAmt, sqlite3_int64 iOfst);
	int (*xWrite)(sqlite3_file *, const void *, int iAmt, sqlite3_int64 iOfst);
	int (*xTruncate)(sqlite3_file *, sqlite3_int64 size);
	int (*xSync)(sqlite3_file *, int flags);
	int (*xFileSize)(sqlite3_file *, sqlite3_int64 *pSize);
	int (*xLock)(sqlite3_file *, int);
	int (*xUnlock)(sqlite3_file *, int);
	int (*xCheckReservedLock)(sqlite3_file *, int *pResOut);
	int (*xFileControl)(sqlite3_file *, int op, void *pArg);
	int (*xSectorSize)(sqlite3_file *);
	int (*xDeviceCharacteristics)(sqlite3_file *);
	int (*xShmMap)(sqlite3_file *, int iPg, int pgsz, int, void volatile **);
	int (*xShmLock)(sqlite3_file *, int offset, int n, int flags);
	void (*xShmBarrier)(sqlite3_file *);
	int (*xShmUnmap)(sqlite3_file *, int deleteFlag);
	int (*xFetch)(sqlite3_file *, sqlite3_int64 iOfst, int iAmt, void **pp);
	int (*xUnfetch)(sqlite3_file *, sqlite3_int64 iOfst, void *p);
};

struct sqlite3_vfs {
	int iVersion;
	int szOsFile;
	int mxPathname;
	sqlite3_vfs *pNext;
	const char *zName;
	void *pAppData;
	int (*xOpen)(sqlite3_vfs *, const char *zName, sqlite3_file *, int flags, int *pOutFlags);
	int (*xDelete)(sqlite3_vfs *, const char *zName, int syncDir);
	int (*xAccess)(sqlite3_vfs *, const char *zName, int flags, int *pResOut);
	int (*xFullPathname)(sqlite3_vfs *, const char *zName, int nOut, char *zOut);
	void *(*xDlOpen)(sqlite3_vfs *, const char *zFilename);
	void (*xDlError)(sqlite3_vfs *, int nByte, char *zErrMsg);
	void (*(*xDlSym)(sqlite3_vfs *, void *, const char *zSymbol))(void);
	void (*xDlClose)(sqlite3_vfs *, void *);
	int (*xRandomness)(sqlite3_vfs *, int nByte, char *zOut);
	int (*xSleep)(sqlite3_vfs *, int microseconds);
	int (*xCurrentTime)(sqlite3_vfs *, double *);
	int (*xGetLastError)(sqlite3_vfs *, int, char *);
	int (*xCurrentTimeInt64)(sqlite3_vfs *, sqlite3_int64 *);
	int (*xSetSystemCall)(sqlite3_vfs *, const char *zName, sqlite3_syscall_ptr);
	sqlite3_syscall_ptr (*xGetSystemCall)(sqlite3_vfs *, const char *zName);
	const char *(*xNextSystemCall)(sqlite3_vfs *, const char *zName);
};

extern sqlite3_vfs *sqlite3_vfs_find(const char *zVfsName);
extern int sqlite3_vfs_register(sqlite3_vfs *, int makeDflt);

#define SQLITE_OK 0
#define SQLITE_ERROR 1
#define SQLITE_NOMEM 7
#define SQLITE_IOERR 10
#define SQLITE_OPEN_WAL 0x00080000

// walFrameHeader is the size of a WAL frame's header, which SQLite writes
// apart from the frame's page; walHeader the size of the WAL's header.
#define walFrameHeader 24
#define walHeader 32
// walBufMax bounds the bytes held back; a transaction writing more is
// written in pieces of about this size.
#define walBufMax (4 << 20)

// wfile is an open file: the wrapped file follows it in memory.
typedef struct wfile {
	sqlite3_file base;
	sqlite3_file *real;
	int wal;           // a WAL file: its writes are held back
	int commitNext;    // the next write is the page of a commit frame
	char *buf;         // the bytes held back, to go at off
	int len, cap;
	sqlite3_int64 off; // wfile's size is a multiple of 8: real is aligned
} wfile;

static sqlite3_vfs *realVfs;
static sqlite3_vfs walVfs;

// Counts, for tests: the WAL writes SQLite made and those this VFS made.
static long long walWritesIn, walWritesOut;

// walWriteMax is the most one write to the default VFS may carry: the
// unix VFS writes at most 128 KiB - 1 bytes a call (seekAndWriteFd).
#define walWriteMax (31 * 4096)

// flush writes what is held back, in pieces of at most walWriteMax. It
// leaves commitNext alone: a file control or a read between a commit
// frame's header and its page does not make the page any less the end of
// the transaction.
static int flush(wfile *p) {
	int rc = SQLITE_OK;
	for (int done = 0; done < p->len && rc == SQLITE_OK;) {
		int n = p->len - done;
		if (n > walWriteMax) n = walWriteMax;
		rc = p->real->pMethods->xWrite(p->real, p->buf + done, n, p->off + done);
		__atomic_fetch_add(&walWritesOut, 1, __ATOMIC_RELAXED);
		done += n;
	}
	p->len = 0;
	return rc;
}

static int wClose(sqlite3_file *f) {
	wfile *p = (wfile *)f;
	int rc = flush(p);
	int rc2 = p->real->pMethods->xClose(p->real);
	free(p->buf);
	p->buf = 0;
	p->cap = 0;
	return rc != SQLITE_OK ? rc : rc2;
}

static int wRead(sqlite3_file *f, void *b, int n, sqlite3_int64 off) {
	wfile *p = (wfile *)f;
	if (p->len > 0) {
		int rc = flush(p);
		if (rc != SQLITE_OK) return rc;
	}
	return p->real->pMethods->xRead(p->real, b, n, off);
}

// reserve makes room for n more bytes held back; 0 when it cannot.
static int reserve(wfile *p, int n) {
	if (p->len + n <= p->cap) return 1;
	int cap = p->cap ? p->cap : 256 << 10;
	while (cap < p->len + n) cap *= 2;
	char *nb = realloc(p->buf, cap);
	if (!nb) return 0;
	p->buf = nb;
	p->cap = cap;
	return 1;
}

// wWrite holds a WAL file's writes back while they follow one another,
// and writes them at once after the page of a commit frame (whose header
// gives the database's size after the commit, zero in other frames):
// SQLite writes that page last before it makes the transaction visible in
// the WAL index, so a committed transaction is in the file, as before,
// when the commit returns. Any other write, read or call on the file
// first writes what is held back.
static int wWrite(sqlite3_file *f, const void *b, int n, sqlite3_int64 off) {
	wfile *p = (wfile *)f;
	if (!p->wal) return p->real->pMethods->xWrite(p->real, b, n, off);
	__atomic_fetch_add(&walWritesIn, 1, __ATOMIC_RELAXED);
	int rc;
	if (p->len > 0 && (off != p->off + p->len || p->len + n > walBufMax)) {
		rc = flush(p);
		if (rc != SQLITE_OK) return rc;
	}
	int endsCommit = p->commitNext;
	// A commit frame's header gives the database's size after the commit;
	// other frames' headers, zero.
	const unsigned char *h = b;
	p->commitNext = n == walFrameHeader && off >= walHeader && (h[4] | h[5] | h[6] | h[7]) != 0;
	if (n > walWriteMax || !reserve(p, n)) {
		// Never with SQLite's page sizes, or out of memory: this one
		// goes now, after what is held back.
		rc = flush(p);
		if (rc != SQLITE_OK) return rc;
		__atomic_fetch_add(&walWritesOut, 1, __ATOMIC_RELAXED);
		return p->real->pMethods->xWrite(p->real, b, n, off);
	}
	if (p->len == 0) p->off = off;
	memcpy(p->buf + p->len, b, n);
	p->len += n;
	return endsCommit ? flush(p) : SQLITE_OK;
}

static int wTruncate(sqlite3_file *f, sqlite3_int64 size) {
	wfile *p = (wfile *)f;
	int rc = flush(p);
	if (rc != SQLITE_OK) return rc;
	return p->real->pMethods->xTruncate(p->real, size);
}

static int wSync(sqlite3_file *f, int flags) {
	wfile *p = (wfile *)f;
	int rc = flush(p);
	if (rc != SQLITE_OK) return rc;
	return p->real->pMethods->xSync(p->real, flags);
}

static int wFileSize(sqlite3_file *f, sqlite3_int64 *size) {
	wfile *p = (wfile *)f;
	int rc = flush(p);
	if (rc != SQLITE_OK) return rc;
	return p->real->pMethods->xFileSize(p->real, size);
}

static int wLock(sqlite3_file *f, int l) { return ((wfile *)f)->real->pMethods->xLock(((wfile *)f)->real, l); }
static int wUnlock(sqlite3_file *f, int l) { return ((wfile *)f)->real->pMethods->xUnlock(((wfile *)f)->real, l); }
static int wCheckReservedLock(sqlite3_file *f, int *out) {
	return ((wfile *)f)->real->pMethods->xCheckReservedLock(((wfile *)f)->real, out);
}

static int wFileControl(sqlite3_file *f, int op, void *arg) {
	wfile *p = (wfile *)f;
	int rc = flush(p);
	if (rc != SQLITE_OK) return rc;
	return p->real->pMethods->xFileControl(p->real, op, arg);
}

static int wSectorSize(sqlite3_file *f) { return ((wfile *)f)->real->pMethods->xSectorSize(((wfile *)f)->real); }
static int wDeviceCharacteristics(sqlite3_file *f) {
	return ((wfile *)f)->real->pMethods->xDeviceCharacteristics(((wfile *)f)->real);
}

static int wShmMap(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp) {
	sqlite3_file *r = ((wfile *)f)->real;
	if (r->pMethods->iVersion < 2 || !r->pMethods->xShmMap) return SQLITE_IOERR;
	return r->pMethods->xShmMap(r, pg, pgsz, extend, pp);
}

static int wShmLock(sqlite3_file *f, int offset, int n, int flags) {
	sqlite3_file *r = ((wfile *)f)->real;
	if (r->pMethods->iVersion < 2 || !r->pMethods->xShmLock) return SQLITE_IOERR;
	return r->pMethods->xShmLock(r, offset, n, flags);
}

static void wShmBarrier(sqlite3_file *f) {
	sqlite3_file *r = ((wfile *)f)->real;
	if (r->pMethods->iVersion >= 2 && r->pMethods->xShmBarrier) r->pMethods->xShmBarrier(r);
}

static int wShmUnmap(sqlite3_file *f, int del) {
	sqlite3_file *r = ((wfile *)f)->real;
	if (r->pMethods->iVersion < 2 || !r->pMethods->xShmUnmap) return SQLITE_OK;
	return r->pMethods->xShmUnmap(r, del);
}

static int wFetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp) {
	wfile *p = (wfile *)f;
	sqlite3_file *r = p->real;
	*pp = 0;
	if (p->len > 0 || r->pMethods->iVersion < 3 || !r->pMethods->xFetch) return SQLITE_OK; // read instead
	return r->pMethods->xFetch(r, off, n, pp);
}

static int wUnfetch(sqlite3_file *f, sqlite3_int64 off, void *pg) {
	sqlite3_file *r = ((wfile *)f)->real;
	if (r->pMethods->iVersion < 3 || !r->pMethods->xUnfetch) return SQLITE_OK;
	return r->pMethods->xUnfetch(r, off, pg);
}

static const sqlite3_io_methods wMethods = {
	3, wClose, wRead, wWrite, wTruncate, wSync, wFileSize, wLock, wUnlock, wCheckReservedLock,
	wFileControl, wSectorSize, wDeviceCharacteristics, wShmMap, wShmLock, wShmBarrier, wShmUnmap,
	wFetch, wUnfetch,
};

static int vOpen(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *outFlags) {
	wfile *p = (wfile *)f;
	memset(p, 0, sizeof(*p));
	p->real = (sqlite3_file *)&p[1];
	int rc = realVfs->xOpen(realVfs, name, p->real, flags, outFlags);
	if (rc != SQLITE_OK) {
		if (p->real->pMethods) p->real->pMethods->xClose(p->real);
		p->base.pMethods = 0;
		return rc;
	}
	p->wal = (flags & SQLITE_OPEN_WAL) != 0;
	p->base.pMethods = &wMethods;
	return SQLITE_OK;
}

static int vDelete(sqlite3_vfs *v, const char *name, int syncDir) { return realVfs->xDelete(realVfs, name, syncDir); }
static int vAccess(sqlite3_vfs *v, const char *name, int flags, int *out) { return realVfs->xAccess(realVfs, name, flags, out); }
static int vFullPathname(sqlite3_vfs *v, const char *name, int n, char *out) {
	return realVfs->xFullPathname(realVfs, name, n, out);
}
static void *vDlOpen(sqlite3_vfs *v, const char *name) { return realVfs->xDlOpen(realVfs, name); }
static void vDlError(sqlite3_vfs *v, int n, char *msg) { realVfs->xDlError(realVfs, n, msg); }
static void (*vDlSym(sqlite3_vfs *v, void *h, const char *sym))(void) { return realVfs->xDlSym(realVfs, h, sym); }
static void vDlClose(sqlite3_vfs *v, void *h) { realVfs->xDlClose(realVfs, h); }
static int vRandomness(sqlite3_vfs *v, int n, char *out) { return realVfs->xRandomness(realVfs, n, out); }
static int vSleep(sqlite3_vfs *v, int us) { return realVfs->xSleep(realVfs, us); }
static int vCurrentTime(sqlite3_vfs *v, double *t) { return realVfs->xCurrentTime(realVfs, t); }
static int vGetLastError(sqlite3_vfs *v, int n, char *msg) { return realVfs->xGetLastError(realVfs, n, msg); }
static int vCurrentTimeInt64(sqlite3_vfs *v, sqlite3_int64 *t) { return realVfs->xCurrentTimeInt64(realVfs, t); }
static int vSetSystemCall(sqlite3_vfs *v, const char *name, sqlite3_syscall_ptr fn) {
	return realVfs->xSetSystemCall(realVfs, name, fn);
}
static sqlite3_syscall_ptr vGetSystemCall(sqlite3_vfs *v, const char *name) { return realVfs->xGetSystemCall(realVfs, name); }
static const char *vNextSystemCall(sqlite3_vfs *v, const char *name) { return realVfs->xNextSystemCall(realVfs, name); }

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int registered = SQLITE_ERROR;

static void registerOnce(void) {
	realVfs = sqlite3_vfs_find(0);
	if (!realVfs || realVfs->iVersion < 3) return;
	walVfs.iVersion = 3;
	walVfs.szOsFile = (int)sizeof(wfile) + realVfs->szOsFile;
	walVfs.mxPathname = realVfs->mxPathname;
	walVfs.zName = "influbot-walbatch";
	walVfs.pAppData = 0;
	walVfs.xOpen = vOpen;
	walVfs.xDelete = vDelete;
	walVfs.xAccess = vAccess;
	walVfs.xFullPathname = vFullPathname;
	walVfs.xDlOpen = vDlOpen;
	walVfs.xDlError = vDlError;
	walVfs.xDlSym = vDlSym;
	walVfs.xDlClose = vDlClose;
	walVfs.xRandomness = vRandomness;
	walVfs.xSleep = vSleep;
	walVfs.xCurrentTime = vCurrentTime;
	walVfs.xGetLastError = vGetLastError;
	walVfs.xCurrentTimeInt64 = vCurrentTimeInt64;
	walVfs.xSetSystemCall = vSetSystemCall;
	walVfs.xGetSystemCall = vGetSystemCall;
	walVfs.xNextSystemCall = vNextSystemCall;
	registered = sqlite3_vfs_register(&walVfs, 0);
}

// influbot_walbatch_vfs registers the VFS (once) and returns SQLite's
// result code.
int influbot_walbatch_vfs(void) {
	pthread_once(&once, registerOnce);
	return registered;
}

// influbot_walbatch_counts reports the WAL writes SQLite made through the
// VFS and the writes the VFS made for them, since the process started.
void influbot_walbatch_counts(long long *in, long long *out) {
	*in = __atomic_load_n(&walWritesIn, __ATOMIC_RELAXED);
	*out = __atomic_load_n(&walWritesOut, __ATOMIC_RELAXED);
}
