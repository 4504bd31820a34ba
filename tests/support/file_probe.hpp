#pragma once

// FileProbe: while one is alive, every SQLite file this process opens goes through a thin VFS
// over the system's default one, which counts opens and syncs by kind of file. Tests use it to
// prove what reaches the disk: that an acknowledged commit was synced before its callers went
// on, and that temporary journals never become files.
// Thread-safety: the counters are atomic (the DB thread opens and syncs); one probe at a time.

namespace outreach::testing {

enum class FileKind { kMainDb, kWal, kMainJournal, kTemp, kOther };

class FileProbe {
 public:
  FileProbe();   // becomes the default VFS: open databases after this
  ~FileProbe();  // the previous default again: close them before this
  FileProbe(const FileProbe&) = delete;
  FileProbe& operator=(const FileProbe&) = delete;

  int opens(FileKind kind) const;
  int syncs(FileKind kind) const;

  // From now on, syncs of this kind of file fail with an I/O error (or work again).
  void fail_syncs(FileKind kind, bool fail);
};

}  // namespace outreach::testing
