using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Configuration of the <see cref="AffectSequenceModel"/>: the three stages' options and the paper's ablation switches.
/// The model width is <see cref="SegmentTransformerOptions.DModel"/> of <see cref="Transformer"/> whether or not the
/// transformer is used; <see cref="AffectSequenceModelOptionsValidator"/> checks that the stages fit together.
/// </summary>
public sealed class AffectSequenceModelOptions
{
    /// <summary>The configuration section of these options within their parent (<c>AffectMae:Recipe:SequenceModel</c>).</summary>
    public const string SectionName = "SequenceModel";

    /// <summary>Feature size of one input frame; equal to <c>Tcn.InputDim</c> when the TCN is used.</summary>
    /// <value>The default value is 768 (the MAE ViT-B feature size).</value>
    [Range(1, int.MaxValue, ErrorMessage = "AffectSequenceModelOptions.InputDim must be at least 1: set it to the feature size of one frame (768 for MAE ViT-B features).")]
    public int InputDim { get; set; } = 768;

    /// <summary>Whether frames pass through the <see cref="TemporalConvNet"/> (switch off for the paper's ablation).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseTcn { get; set; } = true;

    /// <summary>Whether frames pass through the <see cref="SegmentTransformer"/> (switch off for the paper's ablation).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseTransformer { get; set; } = true;

    /// <summary>Options of the TCN; its last channel count must equal <c>Transformer.DModel</c>.</summary>
    /// <value>The default value is <see cref="TemporalConvNetOptions.Base768C512"/>.</value>
    [JsonPropertyName(TemporalConvNetOptions.SectionName)]
    public TemporalConvNetOptions Tcn { get; set; } = TemporalConvNetOptions.Base768C512;

    /// <summary>Options of the segment transformer; its <c>DModel</c> is the model width.</summary>
    /// <value>The default value is <see cref="SegmentTransformerOptions.Base512H8L4"/>.</value>
    [JsonPropertyName(SegmentTransformerOptions.SectionName)]
    public SegmentTransformerOptions Transformer { get; set; } = SegmentTransformerOptions.Base512H8L4;

    /// <summary>Options of the task heads; their <c>InputDim</c> must equal <c>Transformer.DModel</c>.</summary>
    /// <value>The default value is <see cref="TaskHeadsOptions.Base512"/>.</value>
    [JsonPropertyName(TaskHeadsOptions.SectionName)]
    public TaskHeadsOptions Heads { get; set; } = TaskHeadsOptions.Base512;

    /// <summary>
    /// The paper's pipeline on 768-d MAE ViT-B features: TCN 768 → [512, 512] (kernel 3, dilations 1, 2, dropout 0.3),
    /// transformer of width 512 (8 heads, 4 layers, feed-forward 1024, windows up to 300 frames), heads of hidden width
    /// 256 for all tasks. The paper does not give these sizes; they are sensible defaults.
    /// </summary>
    public static AffectSequenceModelOptions Base768D512 => new()
    {
        InputDim = 768,
        Tcn = TemporalConvNetOptions.Base768C512,
        Transformer = SegmentTransformerOptions.Base512H8L4,
        Heads = TaskHeadsOptions.Base512,
    };

    /// <summary>The tiny configuration of the parity fixtures: TCN 16 → [24, 24], transformer width 24, heads hidden 16.</summary>
    public static AffectSequenceModelOptions Tiny16D24 => new()
    {
        InputDim = 16,
        Tcn = TemporalConvNetOptions.Tiny16C24,
        Transformer = SegmentTransformerOptions.Tiny24H4L2,
        Heads = TaskHeadsOptions.Tiny24,
    };
}
