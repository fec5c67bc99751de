import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One build at a time per project: an exclusive `flock` on `.easel/build.lock`.
///
/// The kernel drops the lock when its process ends, however it ends, so a lock left by a killed
/// build is taken over without ceremony. The file names the holder for the message a second build gets.
public final class BuildLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock of `project`.
    /// - Throws: ``BuildLockError`` naming the process holding it, or ``FileError``.
    public init(project: Project) throws {
        let folder = project.stateFolder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ignore = folder.appendingPathComponent(".gitignore")
        if !BoundedRead.exists(ignore.path) {
            try AtomicFile.write(Data("# Easel's local state: not part of the project\n*\n".utf8), to: ignore)
        }
        let path = folder.appendingPathComponent("build.lock").path
        // No link followed: a cloned .easel/build.lock -> ~/.bashrc would otherwise be truncated.
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError.posix(path, "open") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let read = try? BoundedRead.data(at: path, limit: 4096).get()
            let holder = read.map { String(decoding: $0, as: UTF8.self).trimmingSpaces() } ?? ""
            close(fd)
            throw BuildLockError(holder: holder.isEmpty ? "another process" : holder)
        }
        let started = Date().formatted(.iso8601)
        let me = "easel (pid \(getpid()) on \(ProcessInfo.processInfo.hostName), started \(started))\n"
        _ = ftruncate(fd, 0)
        _ = me.withCString { pwrite(fd, $0, strlen($0), 0) }
        descriptor = fd
    }

    deinit {
        // Emptying the file first keeps a stale name from being shown; closing drops the lock.
        _ = ftruncate(descriptor, 0)
        close(descriptor)
    }
}

/// Another build holds the project's lock.
public struct BuildLockError: Error, Hashable, Sendable, CustomStringConvertible {
    public var holder: String

    public var description: String {
        "another build is running in this project: \(holder); wait for it to finish, or stop it"
    }
}
