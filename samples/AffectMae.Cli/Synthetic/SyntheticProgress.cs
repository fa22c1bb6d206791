// Progress of SyntheticDataset.Generate, reported through IProgress<T> (the library never writes to the console).
namespace AffectMae.Cli.Synthetic;

/// <summary>How far a generation run has got.</summary>
/// <param name="FramesDone">Frames rendered or skipped (missing images count as done).</param>
/// <param name="TotalFrames">Frames of all videos.</param>
/// <param name="VideosDone">Videos whose every frame is done.</param>
/// <param name="TotalVideos">Number of videos.</param>
internal readonly record struct SyntheticProgress(int FramesDone, int TotalFrames, int VideosDone, int TotalVideos);
