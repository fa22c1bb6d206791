namespace AffectMae.Video.Decoding;

/// <summary>An image file of a frame folder and the frame number read from its name.</summary>
/// <param name="FrameNumber">The last group of digits in the file name without extension (<c>00042.jpg</c> → 42, <c>frame_7.png</c> → 7).</param>
/// <param name="Path">The file.</param>
public sealed record NumberedImage(int FrameNumber, string Path);
