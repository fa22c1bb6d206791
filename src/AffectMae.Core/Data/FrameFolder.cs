// A folder of one video's frame images, numbered by their file names (00001.jpg, 2.png, frame_0003.jpg, …).
using System.Globalization;
using AffectMae.Core.IO;

namespace AffectMae.Core.Data;

/// <summary>One frame image of a <see cref="FrameFolder"/>.</summary>
/// <param name="Number">The frame number read from the file name.</param>
/// <param name="Path">The image file.</param>
public readonly record struct NumberedFrame(int Number, string Path);

/// <summary>
/// The images of a frame folder in frame order. A frame's number is the last run of digits in its file name
/// (<c>00003.jpg</c>, <c>3.png</c> and <c>frame_0003.jpg</c> are frame 3), so frames sort numerically (<c>2.jpg</c>
/// before <c>10.jpg</c>) and keep their own numbers; numbers missing between the first and the last are reported as
/// gaps. Two images with one number (<c>00003.jpg</c> and <c>00003.png</c>) are an error naming both.
/// </summary>
public sealed class FrameFolder
{
    /// <summary>The file extensions read as frames (case-insensitive): .jpg, .jpeg, .png, .bmp, .webp.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".jpg", ".jpeg", ".png", ".bmp", ".webp"];

    /// <summary>The most frames a folder may span from its first number to its last (10 million, 92 hours at 30 frames/s).</summary>
    public const int MaxSpan = 10_000_000;

    private FrameFolder(string folder, IReadOnlyList<NumberedFrame> frames, IReadOnlyList<int> gaps)
    {
        Folder = folder;
        Frames = frames;
        Gaps = gaps;
    }

    /// <summary>The folder (full path).</summary>
    public string Folder { get; }

    /// <summary>The images in ascending frame number.</summary>
    public IReadOnlyList<NumberedFrame> Frames { get; }

    /// <summary>Frame numbers between the first and the last that have no image, ascending.</summary>
    public IReadOnlyList<int> Gaps { get; }

    /// <summary>The first frame number.</summary>
    public int FirstNumber => Frames[0].Number;

    /// <summary>The last frame number.</summary>
    public int LastNumber => Frames[^1].Number;

    /// <summary>Reads a frame folder; files with other extensions are ignored.</summary>
    /// <param name="folder">The folder.</param>
    /// <returns>The frames.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">An image's name holds no frame number, two images share a number, or there is no image; the message names the files.</exception>
    public static FrameFolder Scan(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"Frame folder '{Printable(full)}' does not exist.");
        var byNumber = new SortedDictionary<int, string>();
        foreach (string file in Directory.EnumerateFiles(full))
        {
            if (!ImageExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase)) continue;
            int number = ParseNumber(file);
            if (byNumber.TryGetValue(number, out var other))
            {
                var pair = new[] { other, file }.Order(StringComparer.Ordinal).ToArray();
                throw new InvalidDataException($"Frame folder '{Printable(full)}' has two images for frame {number}: '{Printable(Path.GetFileName(pair[0]))}' and '{Printable(Path.GetFileName(pair[1]))}'; keep one.");
            }
            byNumber[number] = file;
        }
        if (byNumber.Count == 0)
            throw new InvalidDataException($"Frame folder '{Printable(full)}' holds no image ({string.Join(", ", ImageExtensions)}).");
        var frames = byNumber.Select(kv => new NumberedFrame(kv.Key, kv.Value)).ToList();
        if ((long)frames[^1].Number - frames[0].Number >= MaxSpan)
            throw new InvalidDataException($"Frame folder '{Printable(full)}' numbers its {frames.Count} images from {frames[0].Number} to {frames[^1].Number}: "
                + $"more than {MaxSpan:N0} frames apart; check the file names ('{Printable(Path.GetFileName(frames[^1].Path))}').");
        var gaps = new List<int>();
        for (int i = 1; i < frames.Count; i++)
            for (int missing = frames[i - 1].Number + 1; missing < frames[i].Number; missing++)
                gaps.Add(missing);
        return new FrameFolder(full, frames, gaps);
    }

    private static string Printable(string text) => PrintableText.Escape(text);

    private static int ParseNumber(string file)
    {
        string stem = Path.GetFileNameWithoutExtension(file);
        int end = stem.Length;
        while (end > 0 && !char.IsAsciiDigit(stem[end - 1])) end--;
        int start = end;
        while (start > 0 && char.IsAsciiDigit(stem[start - 1])) start--;
        if (start == end || !int.TryParse(stem.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            throw new InvalidDataException($"'{Printable(file)}' has no frame number in its name (e.g. 00001.jpg); name frames by their number.");
        return number;
    }
}
