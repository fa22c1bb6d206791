using System.ComponentModel.DataAnnotations;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Runtime;

namespace AffectMae.Models.Evaluation;

/// <summary>
/// How trained models run: the precision and frames an encoder call, and how <see cref="TemporalEvaluator.Predict"/> (and the
/// recognizer) turn window predictions into one prediction a frame — the protocol (which windows, how overlaps
/// resolve), clipping of valence/arousal, an optional mode filter over expressions and the action units' rule at the
/// threshold. A recipe setting
/// (<c>AffectMae:Recipe:Inference</c>) and a temporal bundle's manifest field. Checked by <see cref="InferenceOptionsValidator"/>.
/// </summary>
public sealed class InferenceOptions
{
    /// <summary>The configuration section of these options within the recipe (<c>AffectMae:Recipe:Inference</c>).</summary>
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

    /// <summary>
    /// Whether an action unit whose probability equals its threshold exactly is present (<see cref="ThresholdRule.AtOrAbove"/>,
    /// ours) or absent (<see cref="ThresholdRule.Above"/>, the authors' <c>round(sigmoid)</c>, which sends 0.5 to 0).
    /// </summary>
    /// <value>The default value is <see cref="ThresholdRule.AtOrAbove"/>.</value>
    [EnumDataType(typeof(ThresholdRule), ErrorMessage = "InferenceOptions.ActionUnitRule must be AtOrAbove (ours) or Above (the authors').")]
    public ThresholdRule ActionUnitRule { get; set; } = ThresholdRule.AtOrAbove;

    /// <summary>Frames an encoder call (feature extraction and prediction).</summary>
    /// <value>The default value is 64.</value>
    [Range(1, 65_536, ErrorMessage = "InferenceOptions.EncoderBatchSize must lie in 1 … 65536 frames; 64 suits ViT-B on a CPU.")]
    public int EncoderBatchSize { get; set; } = 64;

    /// <summary>
    /// The number format the encoder (feature extraction, prediction) and the temporal model compute in: float32, or
    /// bfloat16 (float16 on CUDA) with float32 kept where accuracy is made (<see cref="InferencePrecision.BFloat16"/>),
    /// or <see cref="InferencePrecision.Auto"/>: bfloat16 where the device runs it fast, float32 elsewhere. Cached features
    /// record the precision they were made in, and features of another precision are stale (extract again). Training
    /// always runs in float32.
    /// </summary>
    /// <value>The default value is <see cref="InferencePrecision.Float32"/>.</value>
    [EnumDataType(typeof(InferencePrecision), ErrorMessage = "InferenceOptions.Precision must be Float32, BFloat16, Float16 (CUDA only) or Auto.")]
    public InferencePrecision Precision { get; set; } = InferencePrecision.Float32;

    /// <summary>Ours: overlapping windows averaged, valence/arousal clipped, no mode filter, action units present at p ≥ t.</summary>
    public static InferenceOptions OverlapAverage => new();

    /// <summary>
    /// The authors' released test.py: non-overlapping windows (stride = window length), valence/arousal clipped to
    /// [−1, 1], expressions mode-filtered over 40 frames, action units present at p &gt; 0.5 (<c>round(sigmoid)</c>).
    /// </summary>
    public static InferenceOptions Released => new()
    {
        Protocol = InferenceProtocol.NonOverlapping, ClipValenceArousal = true, ExpressionModeFilter = 40, ActionUnitRule = ThresholdRule.Above,
    };
}
