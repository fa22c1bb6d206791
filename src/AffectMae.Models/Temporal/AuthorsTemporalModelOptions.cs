using AffectMae.Core.Options;
using AffectMae.Core.Data;
using AffectMae.Metrics;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Configuration of the <see cref="AuthorsTemporalModel"/>: the task it predicts and its three stages' sizes.
/// <see cref="AuthorsTemporalModelOptionsValidator"/> checks that the stages fit together and that the head has the
/// task's output count.
/// </summary>
public sealed class AuthorsTemporalModelOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "AuthorsTemporalModel";

    /// <summary>The one task this model predicts (the authors train one model per task).</summary>
    /// <value>The default value is <see cref="AffectTask.ValenceArousal"/>.</value>
    public AffectTask Task { get; set; } = AffectTask.ValenceArousal;

    /// <summary>The causal TCN; its <c>InputDim</c> is the model's feature size.</summary>
    /// <value>The default value is <see cref="CausalTemporalConvNetOptions.Released768C128"/>.</value>
    public CausalTemporalConvNetOptions Tcn { get; set; } = CausalTemporalConvNetOptions.Released768C128;

    /// <summary>The projected transformer; its <c>InputDim</c> must equal the TCN's last channel count.</summary>
    /// <value>The default value is <see cref="ProjectedSegmentTransformerOptions.Released128D512"/>.</value>
    public ProjectedSegmentTransformerOptions Transformer { get; set; } = ProjectedSegmentTransformerOptions.Released128D512;

    /// <summary>The head; its <c>InputDim</c> must equal <c>Transformer.DModel</c> and its <c>OutputDim</c> the task's output count.</summary>
    /// <value>The default value is <see cref="BatchNormHeadOptions.Released512"/> with 2 outputs.</value>
    public BatchNormHeadOptions Head { get; set; } = BatchNormHeadOptions.Released512(AffectLabels.ValenceArousalCount);

    /// <summary>
    /// The authors' released model for <paramref name="task"/>: 768-d features → causal TCN [768, 256, 128] (kernel 5,
    /// dilations 1, 2, 4) → 1×1 projection to 512 → 8 post-norm layers of 4 heads, feed-forward 512 → 512 → 256 →
    /// BatchNorm → 2 | 8 | 12, dropout 0. Parameters: 20,511,371 (VA), 20,512,913 (EXPR), 20,513,941 (AU).
    /// </summary>
    /// <param name="task">ValenceArousal, Expression or ActionUnits.</param>
    public static AuthorsTemporalModelOptions Released(AffectTask task) => new()
    {
        Task = task,
        Tcn = CausalTemporalConvNetOptions.Released768C128,
        Transformer = ProjectedSegmentTransformerOptions.Released128D512,
        Head = BatchNormHeadOptions.Released512(AffectTasks.OutputCount(task)),
    };

    /// <summary>The released valence/arousal model (20,511,371 parameters).</summary>
    public static AuthorsTemporalModelOptions ValenceArousal => Released(AffectTask.ValenceArousal);

    /// <summary>The released expression model (20,512,913 parameters).</summary>
    public static AuthorsTemporalModelOptions Expression => Released(AffectTask.Expression);

    /// <summary>The released action-unit model (20,513,941 parameters).</summary>
    public static AuthorsTemporalModelOptions ActionUnits => Released(AffectTask.ActionUnits);

    /// <summary>The tiny configuration of the parity fixtures: 24-d features → TCN [24, 32, 16] → width 32, 2 layers → 16 → outputs.</summary>
    /// <param name="task">ValenceArousal, Expression or ActionUnits.</param>
    public static AuthorsTemporalModelOptions Tiny(AffectTask task) => new()
    {
        Task = task,
        Tcn = CausalTemporalConvNetOptions.Tiny24C16,
        Transformer = ProjectedSegmentTransformerOptions.Tiny16D32,
        Head = BatchNormHeadOptions.Tiny32(AffectTasks.OutputCount(task)),
    };
}
