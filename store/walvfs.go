package store

/*
int influbot_walbatch_vfs(void);
void influbot_walbatch_counts(long long *in, long long *out);
*/
import "C"

import "fmt"

// walBatchVFS is the name of the SQLite VFS (walvfs.c) the writer
// connection opens the database with. SQLite writes each page of a
// transaction to the WAL in two system calls, the frame's header and then
// the page; a group commit changes a hundred pages or more under load, and
// those pwrite calls took 4-5% of the server's CPU. The VFS holds a WAL
// file's consecutive writes back and writes them in one call once the
// commit frame's page is written, which SQLite does last, before the
// transaction becomes visible in the WAL index: a commit is in the file
// when it returns, as before. Reads, syncs, truncation and any write out
// of sequence write what is held back first. Every other file and call
// goes to the default VFS unchanged.
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
