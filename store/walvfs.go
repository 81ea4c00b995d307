package store

/*
int influbot_walbatch_vfs(void);
void influbot_walbatch_counts(long long *in, long long *out);
*/
import "C"

import "fmt"

// walBatchVFS is the name of the SQLite VFS (walvfs.c) the writer
// connection opens the database with, so that a transaction's WAL frames
// are written in one system call, not two a page (store/doc.go, "Writing
// the WAL").
const walBatchVFS = "influbot-walbatch"

// useWALBatchVFS registers walBatchVFS (once per process) and reports
// whether it can be used.
func useWALBatchVFS() error {
	if rc := C.influbot_walbatch_vfs(); rc != 0 {
		return fmt.Errorf("register the %s SQLite VFS: result code %d", walBatchVFS, int(rc))
	}
	return nil
}

// walBatchCounts reports the WAL writes SQLite made through walBatchVFS in
// this process and the writes the VFS made for them.
func walBatchCounts() (in, out int64) {
	var i, o C.longlong
	C.influbot_walbatch_counts(&i, &o)
	return int64(i), int64(o)
}
