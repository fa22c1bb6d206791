// Every reader of the library opens its input through here. Opening a FIFO blocks until a writer appears, and a device
// such as /dev/zero never ends, so anything but a regular file (a symbolic link to one is fine) is refused before it is
// opened, with a message that says what the path is instead.
using System.Runtime.InteropServices;

namespace AffectMae.Core.IO;

/// <summary>Accepts regular files only: not folders, FIFOs, sockets or devices, nor symbolic links to them.</summary>
public static class RegularFile
{
    /// <summary>Checks that <paramref name="path"/> names an existing regular file, following symbolic links.</summary>
    /// <param name="path">The path.</param>
    /// <param name="what">What the file is, for the message, e.g. <c>Annotation file</c>.</param>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>; the message names it.</exception>
    /// <exception cref="IOException">
    /// The path is a folder, FIFO, socket or device (or a symbolic link to one); the message names it and says which.
    /// </exception>
    public static void ThrowIfNotRegular(string path, string what = "File")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(what);
        string? kind = Kind(path);
        if (kind is null)
            throw new FileNotFoundException($"{what} '{PrintableText.Escape(path)}' does not exist.", path);
        if (kind.Length == 0) return;
        string link = new FileInfo(path).LinkTarget is { } target ? $" (a symbolic link to '{PrintableText.Escape(target)}')" : "";
        throw new IOException($"{what} '{PrintableText.Escape(path)}'{link} is a {kind}, not a regular file; only regular files are read.");
    }

    /// <summary>Opens a regular file for reading, after <see cref="ThrowIfNotRegular"/>.</summary>
    /// <param name="path">The path.</param>
    /// <param name="what">What the file is, for messages.</param>
    /// <param name="bufferSize">The stream's buffer size in bytes.</param>
    /// <param name="options">File options, e.g. <see cref="FileOptions.SequentialScan"/>.</param>
    /// <returns>A read-only stream that shares reading with others.</returns>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The path is not a regular file.</exception>
    public static FileStream OpenRead(string path, string what = "File", int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        ThrowIfNotRegular(path, what);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, options);
    }

    /// <summary>Reads a regular file of at most <paramref name="maxBytes"/> bytes as UTF-8 text, after <see cref="ThrowIfNotRegular"/>.</summary>
    /// <param name="path">The path.</param>
    /// <param name="what">What the file is, for messages.</param>
    /// <param name="maxBytes">The largest size accepted; a settings file far larger than any real one is refused unread.</param>
    /// <returns>The text.</returns>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The path is not a regular file.</exception>
    /// <exception cref="InvalidDataException">The file is larger than <paramref name="maxBytes"/>; the message names it.</exception>
    public static string ReadAllText(string path, string what, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        using var stream = OpenRead(path, what);
        if (stream.Length > maxBytes)
            throw new InvalidDataException($"{what} '{PrintableText.Escape(path)}' holds {stream.Length:N0} bytes, more than the {maxBytes:N0} such a file may have.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Whether anything — file, folder, FIFO, device — exists at <paramref name="path"/> (a dangling link does not).</summary>
    /// <param name="path">The path.</param>
    /// <returns><see langword="true"/> when the path names something.</returns>
    public static bool AnythingAt(string path) => Kind(path) is not null;

    /// <summary>Null when nothing is there, "" for a regular file, else a description of what is there.</summary>
    private static string? Kind(string path)
    {
        if (!OperatingSystem.IsWindows() && TryStat(path, out string? kind)) return kind;
        if (Directory.Exists(path)) return "folder";
        if (!File.Exists(path)) return null;
        if (OperatingSystem.IsWindows() && File.GetAttributes(path).HasFlag(FileAttributes.Device)) return "device";
        return "";
    }

    /// <summary>
    /// The file type from stat(2), which follows symbolic links, through the runtime's own portable wrapper. False when
    /// that wrapper is unavailable (an unusual host); then the managed checks, which cannot tell a FIFO from a file, decide.
    /// </summary>
    private static bool TryStat(string path, out string? kind)
    {
        try
        {
            kind = NativeStat(path, out var status) != 0 ? null : (status.Mode & FileTypeMask) switch
            {
                RegularType => "",
                DirectoryType => "folder",
                FifoType => "FIFO (named pipe)",
                CharacterDeviceType => "character device",
                BlockDeviceType => "block device",
                SocketType => "socket",
                _ => "special file",
            };
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            kind = null;
            return false;
        }
    }

    // The file-type bits of FileStatus.Mode, as System.Native normalises them on every Unix (pal_io.h).
    private const int FileTypeMask = 0xF000;
    private const int FifoType = 0x1000;
    private const int CharacterDeviceType = 0x2000;
    private const int DirectoryType = 0x4000;
    private const int BlockDeviceType = 0x6000;
    private const int RegularType = 0x8000;
    private const int SocketType = 0xC000;

    // System.Native's FileStatus begins with Flags and Mode (int32 each) in every .NET since Core 2.0; the rest of the
    // struct (times, sizes, inode) is not read, and the size leaves room for fields later versions may add.
    [StructLayout(LayoutKind.Sequential, Size = 512)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int NativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus status);
}
