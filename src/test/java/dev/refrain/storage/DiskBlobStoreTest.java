package dev.refrain.storage;

import java.io.IOException;
import java.nio.file.Files;

class DiskBlobStoreTest extends BlobStoreContract {
  @Override
  BlobStore create() throws IOException {
    return new DiskBlobStore(Files.createTempDirectory("refrain-blobs-"));
  }
}
