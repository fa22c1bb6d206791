namespace AffectMae.Core.Segmentation;

/// <summary>
/// How a temporal model's per-window predictions become one prediction a frame. Each protocol names the windows it
/// runs the model on (<see cref="InferenceWindows.Segmenter"/>) and how a frame covered by several of them is resolved
/// (<see cref="WindowStitcher.Stitch(int, IReadOnlyList{Window}, ReadOnlySpan{float}, int, InferenceProtocol)"/>).
/// </summary>
public enum InferenceProtocol
{
    /// <summary>
    /// Windows of w with stride s (⌊n/s⌋+1, the last padded); a frame's prediction is the mean over every window that
    /// covers it (paper §3.3; ours, as sucv/ABAW3 averages).
    /// </summary>
    OverlapAverage,

    /// <summary>
    /// Windows of w with stride w (⌊n/w⌋+1, the last one shorter, padded here), so each frame is in exactly one window
    /// (the authors' released test.py).
    /// </summary>
    NonOverlapping,

    /// <summary>
    /// Windows of w with stride s; a frame takes the prediction of the last window that covers it (as the ABAW6
    /// winner's code keys predictions by frame name, so later windows overwrite earlier ones).
    /// </summary>
    LastWindowWins,
}
