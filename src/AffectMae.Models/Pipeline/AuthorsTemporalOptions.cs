// The temporal stage of the paper's authors as released (GitHub upczww/abaw6: VA|EXPR|AU/model, solver.py, the
// configs and test.py; no licence: facts only, our own code), as one section of a recipe.
using System.ComponentModel.DataAnnotations;
using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Losses;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// Everything the authors' temporal stage uses, as a recipe section (<c>AffectMae:Recipe:AuthorsTemporal</c>): their model —
/// one <see cref="AuthorsTemporalModel"/> a task of <see cref="Tasks"/>, all of the same sizes, joined in a
/// <see cref="PerTaskTemporalModel"/> — their training windows (the tail dropped), each task's optimisation, their CCC
/// form, a loader that drops the last short batch, and their inference. A recipe trains this model when its
/// <see cref="AffectMaeRecipe.TemporalModel"/> says so, or next to ours as <see cref="TemporalVariant.Authors"/>.
/// Checked by <see cref="AuthorsTemporalOptionsValidator"/>.
/// </summary>
public sealed class AuthorsTemporalOptions
{
    /// <summary>The configuration section of these options within the recipe (<c>AffectMae:Recipe:AuthorsTemporal</c>).</summary>
    public const string SectionName = "AuthorsTemporal";

    /// <summary>The tasks to train a model for, one model each. <value>The default value is <see cref="AffectTask.All"/>.</value></summary>
    public AffectTask Tasks { get; set; } = AffectTask.All;

    /// <summary>The causal TCN of every task's model; its <c>InputDim</c> is the encoder's feature size. <value>The default value is <see cref="CausalTemporalConvNetOptions.Released768C128"/>.</value></summary>
    public CausalTemporalConvNetOptions Tcn { get; set; } = CausalTemporalConvNetOptions.Released768C128;

    /// <summary>The projected post-norm transformer; its <c>InputDim</c> is the TCN's last channel count. <value>The default value is <see cref="ProjectedSegmentTransformerOptions.Released128D512"/>.</value></summary>
    public ProjectedSegmentTransformerOptions Transformer { get; set; } = ProjectedSegmentTransformerOptions.Released128D512;

    /// <summary>Width of the head's hidden (BatchNorm) layer; the head reads the transformer's width and gives each task's outputs. <value>The default value is 256.</value></summary>
    [Range(1, int.MaxValue, ErrorMessage = "AuthorsTemporalOptions.HeadHiddenDim must be at least 1; the authors use 256 (half the transformer's width).")]
    public int HeadHiddenDim { get; set; } = 256;

    /// <summary>
    /// Training windows (w, s) with the tail dropped, as their split loop makes them; at inference only w counts under
    /// their protocol (<see cref="InferenceProtocol.NonOverlapping"/>). <value>The default value is w = 300, s = 200, <see cref="WindowTail.Drop"/>.</value>
    /// </summary>
    public SegmentationOptions Segmentation { get; set; } = new() { WindowLength = 300, Stride = 200, Tail = WindowTail.Drop };

    /// <summary>Each task's optimisation (their epochs differ by task). <value>The default value is <see cref="OptimizationOptions.AuthorsTemporal"/> of each task.</value></summary>
    public TaskOptimizationBlocks Optimization { get; set; } = new();

    /// <summary>The CCC estimate of the valence/arousal loss. <value>The default value is <see cref="CccForm.Released"/>.</value></summary>
    [EnumDataType(typeof(CccForm), ErrorMessage = "AuthorsTemporalOptions.CccForm must be Population or Released.")]
    public CccForm CccForm { get; set; } = CccForm.Released;

    /// <summary>How valence and arousal combine in that loss. <value>The default value is <see cref="CccReduction.Sum"/>: (1 − CCC_v) + (1 − CCC_a).</value></summary>
    [EnumDataType(typeof(CccReduction), ErrorMessage = "AuthorsTemporalOptions.CccReduction must be Mean or Sum.")]
    public CccReduction CccReduction { get; set; } = CccReduction.Sum;

    /// <summary>Drop each epoch's last batch when it is short (their loader's <c>drop_last=True</c>). <value>The default value is true.</value></summary>
    public bool DropLast { get; set; } = true;

    /// <summary>
    /// How the models predict, at validation and in their bundle; its <see cref="InferenceOptions.EncoderBatchSize"/> is
    /// not used (the recipe's <see cref="AffectMaeRecipe.Inference"/> runs the encoder). <value>The default value is
    /// <see cref="InferenceOptions.Released"/>: non-overlapping windows, valence/arousal clipped, expressions
    /// mode-filtered over 40 frames, action units present above 0.5.</value>
    /// </summary>
    public InferenceOptions Inference { get; set; } = InferenceOptions.Released;

    /// <summary>The authors' released stage for 768-d features: the sizes, windows, optimisation, losses and inference of their code.</summary>
    public static AuthorsTemporalOptions Released => new();

    /// <summary>The model of one task: these sizes, with the head's outputs of <paramref name="task"/>.</summary>
    /// <param name="task">ValenceArousal, Expression or ActionUnits.</param>
    /// <returns>A new options object.</returns>
    public AuthorsTemporalModelOptions ModelFor(AffectTask task) => new()
    {
        Task = task,
        Tcn = Core.Options.OptionsValidation.Copy(Tcn),
        Transformer = Core.Options.OptionsValidation.Copy(Transformer),
        Head = new BatchNormHeadOptions { InputDim = Transformer.DModel, HiddenDim = HeadHiddenDim, OutputDim = AffectTasks.OutputCount(task) },
    };

    /// <summary>The training windows: <see cref="Segmentation"/> as a segmenter.</summary>
    public VideoSegmenter TrainingSegmenter() => new(Segmentation);

    /// <summary>Their losses: <see cref="CccForm"/> and <see cref="CccReduction"/> for valence/arousal, cross-entropy, BCE-with-logits.</summary>
    public AffectObjective Objective() => new(CccForm, CccReduction);
}
