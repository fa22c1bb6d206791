using System.Diagnostics;
using AffectMae.Core.IO;

namespace AffectMae.Core.Tests.IO;

public sealed class RegularFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-regular-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>Makes a FIFO with mkfifo(1); false where there is none (Windows).</summary>
    internal static bool TryMakeFifo(string path)
    {
        if (OperatingSystem.IsWindows()) return false;
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    [Fact]
    public void A_regular_file_and_a_link_to_one_are_accepted()
    {
        string file = Path.Combine(folder, "a.txt"), link = Path.Combine(folder, "link.txt");
        File.WriteAllText(file, "x");
        File.CreateSymbolicLink(link, file);

        using (var stream = RegularFile.OpenRead(link)) stream.ReadByte().Should().Be('x');
        RegularFile.ThrowIfNotRegular(file);
    }

    [Fact]
    public void A_folder_is_refused_naming_it()
    {
        string path = Path.Combine(folder, "v1.txt");
        Directory.CreateDirectory(path);

        FluentActions.Invoking(() => RegularFile.ThrowIfNotRegular(path, "Annotation file")).Should().Throw<IOException>()
            .WithMessage($"Annotation file '{path}' is a folder, not a regular file; only regular files are read.");
    }

    [Fact]
    public void A_missing_path_is_file_not_found()
    {
        string path = Path.Combine(folder, "none.txt");

        FluentActions.Invoking(() => RegularFile.OpenRead(path, "Image")).Should().Throw<FileNotFoundException>()
            .WithMessage($"Image '{path}' does not exist.");
        RegularFile.AnythingAt(path).Should().BeFalse();
    }

    [Fact]
    public void A_fifo_is_refused_without_blocking()
    {
        string path = Path.Combine(folder, "pipe.txt");
        if (!TryMakeFifo(path)) return;   // no FIFOs on this platform

        var error = TimeLimit.Run(TimeSpan.FromSeconds(10), () => RegularFile.OpenRead(path, "Annotation file").Dispose());

        error.Should().BeOfType<IOException>().Which.Message.Should().Be($"Annotation file '{path}' is a FIFO (named pipe), not a regular file; only regular files are read.");
        RegularFile.AnythingAt(path).Should().BeTrue();
    }

    [Fact]
    public void A_link_to_dev_zero_is_refused_naming_the_target()
    {
        if (!File.Exists("/dev/zero")) return;   // not a Unix system
        string path = Path.Combine(folder, "zero.safetensors");
        File.CreateSymbolicLink(path, "/dev/zero");

        FluentActions.Invoking(() => RegularFile.ThrowIfNotRegular(path, "safetensors file")).Should().Throw<IOException>()
            .WithMessage($"safetensors file '{path}' (a symbolic link to '/dev/zero') is a character device, not a regular file*");
    }

    [Fact]
    public void Control_characters_in_a_refused_path_are_escaped()
    {
        string path = Path.Combine(folder, "bad\u001B[2J");
        Directory.CreateDirectory(path);

        FluentActions.Invoking(() => RegularFile.ThrowIfNotRegular(path)).Should().Throw<IOException>()
            .Which.Message.Should().Contain(@"bad\u001B[2J").And.NotContain("\u001B");
    }
}
