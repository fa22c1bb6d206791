using System.ComponentModel.DataAnnotations;
using AffectMae.Core.Segmentation;

namespace AffectMae.Models.Evaluation;

/// <summary>
/// How <see cref="TemporalEvaluator.Predict"/> turns window predictions into one prediction a frame: the protocol
/// (which windows, how overlaps resolve), clipping of valence/arousal and an optional mode filter over expressions.
/// Checked by <see cref="InferenceOptionsValidator"/>.
/// </summary>
public sealed class InferenceOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Inference";

    /// <summary>Which windows the model runs on and how a frame covered by several is resolved.</summary>
    /// <value>The default value is <see cref="InferenceProtocol.OverlapAverage"/> (ours, paper §3.3).</value>
    public InferenceProtocol Protocol { get; set; } = InferenceProtocol.OverlapAverage;

    /// <summary>Whether predicted valence and arousal are clipped to [−1, 1] (the authors' model is unbounded; ours already is bounded by tanh).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ClipValenceArousal { get; set; } = true;

    /// <summary>
    /// k of the expression mode filter: each frame's class becomes the most frequent class among the frames within ⌊k/2⌋
    /// of it (<see cref="ModeFilter"/>); 0 turns it off.
    /// </summary>
    /// <value>The default value is 0 (the authors use 40).</value>
    [Range(0, int.MaxValue, ErrorMessage = "InferenceOptions.ExpressionModeFilter must be at least 0 frames; 0 turns the filter off, the authors use 40.")]
    public int ExpressionModeFilter { get; set; }

    /// <summary>A copy.</summary>
    public InferenceOptions Clone() => (InferenceOptions)MemberwiseClone();

    /// <summary>Ours: overlapping windows averaged, valence/arousal clipped, no mode filter.</summary>
    public static InferenceOptions OverlapAverage => new();

    /// <summary>The authors' released test.py: non-overlapping windows (stride = window length), valence/arousal clipped to [−1, 1], expressions mode-filtered over 40 frames.</summary>
    public static InferenceOptions Released => new() { Protocol = InferenceProtocol.NonOverlapping, ClipValenceArousal = true, ExpressionModeFilter = 40 };
}
