namespace AffectMae.Video.Decoding;

/// <summary>Frames of one video, image folder or photo, streamed in order, one at a time.</summary>
/// <remarks>
/// A source is read once: <see cref="ReadFrames"/> decodes as it is enumerated and never holds more than the frame
/// it hands out. When the enumeration has run to its end, <see cref="Summary"/> says how many frames there really were
/// and what differed from what the file announced.
/// </remarks>
public interface IFrameSource : IDisposable
{
    /// <summary>The file or folder read.</summary>
    string Path { get; }

    /// <summary>What the source announces before decoding (sizes, frame rate, frame count, rotation).</summary>
    FrameSourceInfo Info { get; }

    /// <summary>The frames in order; the caller disposes each frame. May be enumerated once.</summary>
    /// <param name="cancellationToken">Stops decoding between two frames.</param>
    /// <returns>The frames, with consecutive <see cref="VideoFrame.Index"/> from 0.</returns>
    /// <exception cref="InvalidOperationException">The frames were already enumerated.</exception>
    IEnumerable<VideoFrame> ReadFrames(CancellationToken cancellationToken = default);

    /// <summary>What decoding found; <see langword="null"/> until <see cref="ReadFrames"/> has run to its end.</summary>
    DecodeSummary? Summary { get; }
}
