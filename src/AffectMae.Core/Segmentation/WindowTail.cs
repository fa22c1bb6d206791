namespace AffectMae.Core.Segmentation;

/// <summary>What <see cref="VideoSegmenter"/> does with the end of a video that no full window reaches.</summary>
public enum WindowTail
{
    /// <summary>
    /// ⌊n/s⌋+1 windows; the last ones run past the end and are padded (an empty one when s divides n), so every frame
    /// is covered (paper §3.3, ours).
    /// </summary>
    Pad,

    /// <summary>
    /// Only windows that fit wholly: ⌊(n − w)/s⌋+1 of them, none for a video shorter than w; frames after the last full
    /// window are left out. The authors' released training windows (their split_*.py stops at the first window that
    /// would overrun).
    /// </summary>
    Drop,
}
