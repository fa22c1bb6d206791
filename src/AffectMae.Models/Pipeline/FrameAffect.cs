using AffectMae.Metrics;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// The affect of one video frame. Without a face (<see cref="FaceFound"/> false) the frame keeps its row but holds
/// no values: NaN valence and arousal, expression −1 and empty lists. A task the model does not predict is left the
/// same way (e.g. the authors' models trained for some tasks only).
/// </summary>
/// <param name="Frame">The frame number (from the file name, or the stream's own numbering).</param>
/// <param name="FaceFound">Whether the frame had an image or face to read.</param>
/// <param name="Valence">Valence in [−1, 1].</param>
/// <param name="Arousal">Arousal in [−1, 1].</param>
/// <param name="Expression">The expression (index into <see cref="AffectLabels.ExpressionNames"/>): the arg-max of the stitched logits, then the
/// protocol's mode filter when it has one (<see cref="Evaluation.InferenceOptions.ExpressionModeFilter"/>), so it may differ from the most probable.</param>
/// <param name="ExpressionProbabilities">The 8 expression probabilities (softmax of the stitched logits).</param>
/// <param name="ActionUnitProbabilities">The 12 action-unit probabilities (sigmoid of the stitched logits).</param>
/// <param name="ActionUnits">The 12 action-unit decisions: probability at or above the bundle's threshold (above it, by
/// <see cref="Evaluation.InferenceOptions.ActionUnitRule"/>).</param>
public sealed record FrameAffect(
    int Frame, bool FaceFound, float Valence, float Arousal, int Expression,
    IReadOnlyList<float> ExpressionProbabilities, IReadOnlyList<float> ActionUnitProbabilities, IReadOnlyList<bool> ActionUnits)
{
    /// <summary>The expression's name (e.g. "Happiness"), or null.</summary>
    public string? ExpressionName => Expression >= 0 ? AffectLabels.ExpressionNames[Expression] : null;

    /// <summary>A row for a frame with nothing to read.</summary>
    /// <param name="frame">The frame number.</param>
    public static FrameAffect NoFace(int frame) => new(frame, false, float.NaN, float.NaN, -1, [], [], []);
}

/// <summary>Every frame of a video, in frame order, with the numbers that had no image.</summary>
/// <param name="Video">The video's name (e.g. its frame folder's name).</param>
/// <param name="Frames">One row a frame, from the first frame number to the last.</param>
/// <param name="MissingFrames">Frame numbers that had no image (their rows have <see cref="FrameAffect.FaceFound"/> false).</param>
public sealed record VideoAffect(string Video, IReadOnlyList<FrameAffect> Frames, IReadOnlyList<int> MissingFrames)
{
    /// <summary>
    /// Frames whose image could not be decoded, passed over under <see cref="Features.BadFramePolicy.Skip"/> (their rows
    /// have <see cref="FrameAffect.FaceFound"/> false); <see cref="Features.BadFrame.Index"/> is the frame number.
    /// </summary>
    public IReadOnlyList<Features.BadFrame> BadFrames { get; init; } = [];
}

/// <summary>One frame of a stream given to <see cref="AffectRecognizer.PredictStreamAsync"/>.</summary>
/// <param name="Frame">Its number; each frame's is one more than the last.</param>
/// <param name="Image">The face image (Rgba8888, unpremultiplied, as <c>ImageDecoder.Decode</c> gives), or null when the frame has no face. It is read before the next frame is asked for; the caller disposes it.</param>
public readonly record struct RecognizerFrame(int Frame, SkiaSharp.SKBitmap? Image);
