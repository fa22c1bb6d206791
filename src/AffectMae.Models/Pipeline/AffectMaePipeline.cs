// The paper's pipeline as library calls (Zhou et al., ABAW 2024, §3): MAE pre-training → expression fine-tuning →
// feature extraction → the temporal model, with evaluation and prediction. Each stage reads and writes a RunFolder,
// resumes from its checkpoints, and saves its model as a bundle that later stages (and applications) load.
using AffectMae.Core.Data;
using AffectMae.Core.Options;
using AffectMae.Core.Segmentation;
using AffectMae.Metrics;
using AffectMae.Models.Data;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Features;
using AffectMae.Models.Mae;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// The stages of a run of one recipe in one run folder: <see cref="Pretrain"/>, <see cref="FineTune"/>,
/// <see cref="Extract"/>, <see cref="TrainTemporal"/>, <see cref="Evaluate"/> and <see cref="Predict"/>. Training
/// stages resume from their <c>last/</c> checkpoint and keep going where a killed run stopped; cancelling one saves
/// <c>last/</c> first. <see cref="Evaluate"/> and <see cref="Predict"/> only read: they build no optimiser and write
/// no checkpoint.
/// </summary>
public sealed class AffectMaePipeline
{
    private const int CheckpointEverySteps = 50;
    private const int ValidationFrames = 512;

    private readonly ILogger logger;

    /// <summary>Creates the stages of <paramref name="recipe"/> in <paramref name="run"/>.</summary>
    /// <param name="recipe">The settings (copied; checked here).</param>
    /// <param name="run">The run folder; the first stage records the recipe there, later ones check it.</param>
    /// <param name="device">Where models run; CPU when null.</param>
    /// <param name="logger">Receives a line an epoch and a video.</param>
    /// <exception cref="ArgumentException">The recipe is invalid; the message names the settings to change.</exception>
    public AffectMaePipeline(AffectMaeRecipe recipe, RunFolder run, Device? device = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        Recipe = OptionsValidation.ValidatedCopy(new AffectMaeRecipeValidator(), recipe, nameof(recipe));
        Run = run;
        Device = device ?? CPU;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The settings.</summary>
    public AffectMaeRecipe Recipe { get; }

    /// <summary>Where everything is read and written.</summary>
    public RunFolder Run { get; }

    /// <summary>Where models run.</summary>
    public Device Device { get; }

    /// <summary>
    /// Stage 1 (§3.1): MAE pre-training on every <see cref="FrameSamplingOptions.PretrainStride"/>-th frame of the
    /// training videos; saves the MAE bundle and scores the masked-patch loss on validation frames against predicting
    /// the mean pixel.
    /// </summary>
    public StageResult Pretrain(AbawDataset data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        Run.UseRecipe(Recipe);
        var frames = data.SampledFrames(data.Train, Recipe.Sampling.PretrainStride).Select(f => f.Path).ToList();
        manual_seed(Recipe.Seed);
        using var model = new MaeViT(Recipe.Mae, Device);
        var stage = new MaePretrainingStage(model, Recipe.Optimization.Pretraining);
        var state = stage.Run(new ImageListDataset(frames, Recipe.PretrainingTransform()), Training(Run.PretrainCheckpoints, CheckpointEverySteps, progress), cancellationToken);
        EncoderBundle.Save(Run.EncoderModel(EncoderKind.Pretrained), model, Recipe.Normalization, Recipe.Name, Recipe.FaceCrop);

        // Held out: the mean masked-patch loss against predicting 0 (the normalised mean pixel) everywhere.
        model.eval();
        var validation = data.SampledFrames(data.Validation, Recipe.Sampling.PretrainStride * 4).Select(f => f.Path).Take(ValidationFrames).ToList();
        manual_seed(Recipe.Seed + 1);
        var encoder = new FrameEncoder(model, Recipe.EvalTransform(), batchSize: 64, Device);
        var losses = encoder.MapBatches(validation, images =>
            (Loss: model.Forward(images, Recipe.Mae.MaskRatio).Loss.item<float>(),
             Baseline: model.Patchify(images).square().mean().item<float>()), cancellationToken).ToList();
        return new StageResult("MAE pre-training", "masked-patch MSE (val, lower is better)",
            losses.Average(l => (double)l.Loss), losses.Average(l => (double)l.Baseline), "mean pixel (0)", state);
    }

    /// <summary>
    /// Stage 2 (§3.2): the pre-trained encoder with a fully connected head, fine-tuned on the 8 expressions of every
    /// <see cref="FrameSamplingOptions.FineTuneStride"/>-th labelled training frame; keeps the epoch with the best
    /// validation P_EXPR, saves it as the encoder bundle, and scores it against the majority class.
    /// </summary>
    /// <exception cref="FileNotFoundException">The pre-trained MAE bundle is missing (run <see cref="Pretrain"/> first).</exception>
    public StageResult FineTune(AbawDataset data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        Run.UseRecipe(Recipe);
        string pretrained = RequireBundle(Run.EncoderModel(EncoderKind.Pretrained), "pre-training (Pretrain)");
        var transform = Recipe.EvalTransform();
        var train = LabelledFrames(data, data.Train, transform);
        var validation = LabelledFrames(data, data.Validation, transform);
        manual_seed(Recipe.Seed);
        using var model = new MaeClassifier(Recipe.ClassifierOptions(), Device);
        ModelManifest.Read(pretrained);                                                      // the weights are the MAE's, unaltered
        MaeCheckpoint.LoadPretrainedEncoder(model, Path.Combine(pretrained, ModelManifest.WeightsFileName));
        var stage = new ExpressionFineTuningStage(model, Recipe.Optimization.FineTuning);
        var checkpoints = Training(Run.FineTuneCheckpoints, CheckpointEverySteps, progress);
        var state = stage.Run(train, validation, checkpoints, cancellationToken);
        TrainingCheckpoint.LoadWeights(checkpoints.Checkpoints!.Best, model);
        EncoderBundle.Save(Run.EncoderModel(EncoderKind.FineTuned), model, Recipe.Normalization, Recipe.Name, Recipe.FaceCrop);

        var gold = validation.Labels.Select(l => (int)l).ToArray();
        int majority = gold.GroupBy(c => c).MaxBy(g => g.Count())!.Key;
        return new StageResult("Expression fine-tuning", "P_EXPR, single frames (val)", stage.Evaluate(validation, Device),
            MacroF1.Compute(Enumerable.Repeat(majority, gold.Length).ToArray(), gold, AffectLabels.ExpressionClassCount), "majority class", state);
    }

    /// <summary>
    /// Stage 3 (§3.3): runs an encoder over every frame of this shard's videos and caches one feature matrix a video;
    /// videos already cached are skipped, so an interrupted extraction resumes and shards may run on many machines.
    /// </summary>
    /// <exception cref="FileNotFoundException">The encoder's bundle is missing (run its training stage first).</exception>
    public ExtractionSummary Extract(AbawDataset data, EncoderKind encoder, Shard shard, IProgress<ExtractionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        Run.UseRecipe(Recipe);
        using var bundle = EncoderBundle.Load(RequireBundle(Run.EncoderModel(encoder), TrainingStageOf(encoder)), Device);
        var extractor = new FeatureExtractor(bundle.CreateFrameEncoder(Recipe.Inference.EncoderBatchSize), new FeatureCache(Run.Features(encoder)), logger);
        return extractor.Run(data.All.Select(data.Frames).ToList(), shard, progress, cancellationToken);
    }

    /// <summary>
    /// Stage 4 (§3.4–3.5): the temporal model of <paramref name="variant"/> on windows of cached features; keeps the
    /// epoch with the best validation score (recording P_VA, P_EXPR and P_AU every epoch), saves it as the temporal
    /// bundle, and returns its validation predictions and scores.
    /// </summary>
    /// <exception cref="FileNotFoundException">A video's features are not cached (run <see cref="Extract"/> first).</exception>
    public TemporalResult TrainTemporal(AbawDataset data, TemporalVariant variant, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(variant);
        Run.UseRecipe(Recipe);
        var cache = new FeatureCache(Run.Features(variant.Encoder));
        var train = data.Windows(data.Train, cache, Segmenter);
        var validation = data.Windows(data.Validation, cache, Segmenter);
        manual_seed(Recipe.Seed);
        using var model = new AffectSequenceModel(Recipe.SequenceModelFor(variant));
        model.to(Device);
        using var stage = new TemporalTrainingStage(model, Recipe.Optimization.Temporal);
        var run = Training(Run.TemporalCheckpoints(variant), 0, progress);
        var state = stage.Run(train, validation, run, cancellationToken);
        TrainingCheckpoint.LoadWeights(run.Checkpoints!.Best, model);
        string encoderSha = ModelManifest.Read(Run.EncoderModel(variant.Encoder)).WeightsSha256;
        TemporalBundle.Save(Run.TemporalModel(variant), model, Recipe.Segmentation, Recipe.Name, encoderSha, state);
        var predictions = TemporalEvaluator.Predict(model, validation, Recipe.Optimization.Temporal.BatchSize, Device);
        return new TemporalResult(variant, TemporalEvaluator.Score(predictions, validation), predictions, state);
    }

    /// <summary>
    /// Scores the trained temporal model of <paramref name="variant"/> (its bundle in the run folder, or the bundle in
    /// <paramref name="bundleFolder"/>) on the validation videos, over the cached features of the variant's encoder.
    /// Reads only: no optimiser, no checkpoint, nothing resumed.
    /// </summary>
    /// <exception cref="FileNotFoundException">The variant has no trained bundle; the message says where its training stands.</exception>
    public TemporalResult Evaluate(AbawDataset data, TemporalVariant variant, string? bundleFolder = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(variant);
        using var bundle = TemporalBundle.Load(bundleFolder ?? RequireTemporal(variant), Device);
        var cache = new FeatureCache(Run.Features(variant.Encoder));
        var validation = data.Windows(data.Validation, cache, bundle.Segmenter);
        cancellationToken.ThrowIfCancellationRequested();
        var predictions = TemporalEvaluator.Predict(bundle.Model, validation, Recipe.Optimization.Temporal.BatchSize, Device);
        return new TemporalResult(variant, TemporalEvaluator.Score(predictions, validation), predictions, null);
    }

    /// <summary>Per-frame predictions for a folder of face frames, with the run's encoder and trained temporal model of <paramref name="variant"/>.</summary>
    /// <exception cref="FileNotFoundException">A bundle is missing.</exception>
    public VideoAffect Predict(string framesFolder, TemporalVariant variant, AffectRecognizerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variant);
        using var recognizer = AffectRecognizer.Load(RequireBundle(Run.EncoderModel(variant.Encoder), TrainingStageOf(variant.Encoder)), RequireTemporal(variant), Device,
            options ?? new AffectRecognizerOptions { BatchSize = Recipe.Inference.EncoderBatchSize, WindowBatchSize = Recipe.Optimization.Temporal.BatchSize });
        return recognizer.PredictFolder(framesFolder, cancellationToken);
    }

    private VideoSegmenter Segmenter => new(Recipe.Segmentation);

    private StageRunOptions Training(string folder, int everySteps, IProgress<TrainingProgress>? progress) => new()
    {
        Checkpoints = new CheckpointPolicy { Folder = folder, EverySteps = everySteps },
        Device = Device,
        Progress = progress,
        Logger = logger,
    };

    private LabelledFrameDataset LabelledFrames(AbawDataset data, IEnumerable<AbawVideo> videos, ImageTransform transform)
    {
        var frames = data.SampledFrames(videos.Where(v => v.Expression is not null), Recipe.Sampling.FineTuneStride).ToList();
        return new LabelledFrameDataset(frames.Select(f => f.Path).ToList(), frames.Select(f => f.Video.ExpressionLabels()[f.FrameIndex]).ToList(), transform);
    }

    private string RequireTemporal(TemporalVariant variant)
    {
        string folder = Run.TemporalModel(variant);
        if (File.Exists(Path.Combine(folder, ModelManifest.FileName))) return folder;
        string last = Path.Combine(Run.TemporalCheckpoints(variant), "last");
        string state = TrainingCheckpoint.Exists(last)
            ? $"its training stopped at epoch {TrainingCheckpoint.ReadState(last).Epoch} of {Recipe.Optimization.Temporal.Epochs} ({last}); train it again to resume and finish"
            : "it has not been trained; train it first";
        throw new FileNotFoundException($"The temporal model '{variant.Name}' has no trained bundle at {folder}: {state}.", Path.Combine(folder, ModelManifest.FileName));
    }

    private static string RequireBundle(string folder, string stage) =>
        File.Exists(Path.Combine(folder, ModelManifest.FileName)) ? folder
        : throw new FileNotFoundException($"No model bundle at {folder}; run {stage} first.", Path.Combine(folder, ModelManifest.FileName));

    private static string TrainingStageOf(EncoderKind encoder) => encoder == EncoderKind.FineTuned ? "fine-tuning (FineTune)" : "pre-training (Pretrain)";
}
