using System.Diagnostics;

namespace AffectMae.Video.Tests;

/// <summary>
/// Real test material from Debian packages, fetched once per run without installing anything:
/// <c>apt-get download NAME</c> then <c>dpkg-deb -x</c> into a cache folder. <c>python3-skimage</c> brings
/// <c>astronaut.png</c> (NASA portrait of Eileen Collins, public domain); <c>opencv-data</c> brings OpenCV's cascades.
/// </summary>
/// <remarks>
/// Also compiled into benchmarks/AffectMae.Benchmarks (the video cases build their video from the same photo).
/// The cache is <c>$AFFECTMAE_TEST_ASSETS</c> when set (a folder holding <c>python3-skimage/</c> and <c>opencv-data/</c>
/// already extracted, for machines without apt), else <c>~/.cache/affectmae/debian-assets</c>. When neither the cache
/// nor apt can provide a file, the tests that need it fail with a message saying so: they never pass silently.
/// </remarks>
public sealed class DebianAssets
{
    private const string Skimage = "python3-skimage";
    private const string OpenCvData = "opencv-data";
    private readonly string? failure;

    /// <summary>Extracts both packages into the cache unless they are there; a failure is kept and reported by the first test that needs a file.</summary>
    public DebianAssets()
    {
        Root = Environment.GetEnvironmentVariable("AFFECTMAE_TEST_ASSETS") is { Length: > 0 } given
            ? given
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "affectmae", "debian-assets");
        try
        {
            foreach (string package in new[] { Skimage, OpenCvData })
                Extract(package);
        }
        catch (Exception e)
        {
            failure = e.Message;
        }
    }

    /// <summary>The cache folder.</summary>
    public string Root { get; }

    /// <summary><c>astronaut.png</c>: 512 × 512 RGB portrait.</summary>
    public string Astronaut => Require(Path.Combine(Root, Skimage, "usr/lib/python3/dist-packages/skimage/data/astronaut.png"));

    /// <summary>A Haar cascade from <c>/usr/share/opencv4/haarcascades</c>.</summary>
    public string HaarCascade(string name = "haarcascade_frontalface_default.xml") =>
        Require(Path.Combine(Root, OpenCvData, "usr/share/opencv4/haarcascades", name));

    /// <summary>An LBP cascade from <c>/usr/share/opencv4/lbpcascades</c>.</summary>
    public string LbpCascade(string name = "lbpcascade_frontalface_improved.xml") =>
        Require(Path.Combine(Root, OpenCvData, "usr/share/opencv4/lbpcascades", name));

    private string Require(string file)
    {
        if (File.Exists(file))
            return file;
        throw new InvalidOperationException(failure is null
            ? $"Test asset '{file}' is missing although its package was extracted to {Root}."
            : $"Real test material is not available, so this test cannot run: {failure} "
              + "Run on a Debian/Ubuntu machine with apt-get, or set AFFECTMAE_TEST_ASSETS to a folder holding the extracted packages python3-skimage/ and opencv-data/.");
    }

    private void Extract(string package)
    {
        string target = Path.Combine(Root, package);
        if (Directory.Exists(target))
            return;
        Directory.CreateDirectory(Root);
        string work = Path.Combine(Root, $"{package}.download-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            if (!Run("apt-get", $"download {package}", work, out string aptOutput))
            {
                // A fresh machine may have no package lists yet; as root, fetch them once and try again.
                if (Environment.UserName == "root")
                    Run("apt-get", "update -qq", work, out _);
                if (!Run("apt-get", $"download {package}", work, out aptOutput))
                    throw new InvalidOperationException($"'apt-get download {package}' failed: {aptOutput.Trim()}");
            }
            string deb = Directory.GetFiles(work, $"{package}_*.deb").Single();
            string extracted = Path.Combine(work, "tree");
            if (!Run("dpkg-deb", $"-x {deb} {extracted}", work, out string dpkgOutput))
                throw new InvalidOperationException($"'dpkg-deb -x' of {Path.GetFileName(deb)} failed: {dpkgOutput.Trim()}");
            try
            {
                Directory.Move(extracted, target);   // atomic: a half-extracted tree is never taken for the package
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another test process extracted it first.
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static bool Run(string program, string arguments, string directory, out string output)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            output = stdout + stderr.Result;
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = $"{program} is not available on this machine ({e.Message}).";
            return false;
        }
    }
}
