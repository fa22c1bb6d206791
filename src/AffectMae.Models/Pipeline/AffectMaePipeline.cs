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
    /// Stage 3 (§3.3): runs an encoder, in the recipe's <see cref="InferenceOptions.Precision"/>, over every frame of
    /// this shard's videos and caches one feature matrix a video;
    /// videos whose entries are current are skipped (stale or damaged ones are extracted again), so an interrupted
    /// extraction resumes, and shards may run at once on many machines or processes (see <see cref="FeatureExtractor"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">The encoder's bundle is missing (run its training stage first).</exception>
    /// <exception cref="InvalidDataException">A video has no image, too many frames without one, or (unless skipped) a frame that cannot be decoded; the message names it.</exception>
    public ExtractionSummary Extract(AbawDataset data, EncoderKind encoder, Shard shard, FeatureExtractionOptions? options = null, IProgress<ExtractionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        Run.UseRecipe(Recipe);
        using var bundle = EncoderBundle.Load(RequireBundle(Run.EncoderModel(encoder), TrainingStageOf(encoder)), Device);
        var precision = bundle.UseInferencePrecision(Recipe.Inference.Precision, logger);
        var extractor = new FeatureExtractor(bundle.CreateFrameEncoder(Recipe.Inference.EncoderBatchSize), new FeatureCache(Run.Features(encoder)), bundle.FeatureProvenance, options, logger);
        return extractor.Run(data.All.Select(data.Frames).ToList(), shard, progress, cancellationToken) with { Precision = precision };
    }

    /// <summary>
    /// Stage 4 (§3.4–3.5): the temporal model of <paramref name="variant"/> on windows of cached features — ours, or the
    /// authors' when the variant or the recipe says so (<see cref="AffectMaeRecipe.TemporalModelOf"/>); keeps the epoch
    /// with the best validation score (recording P_VA, P_EXPR and P_AU every epoch), saves it as the temporal bundle
    /// with the way it predicts, and returns its validation predictions and scores. The authors' model is one model a
    /// task of <c>Recipe.AuthorsTemporal.Tasks</c>, each trained on its own (its own epochs, best epoch and checkpoints) with
    /// everything in <see cref="AffectMaeRecipe.AuthorsTemporal"/>: tail-dropping windows, a loader that drops the last short
    /// batch, their optimisation and CCC form, validation by their inference protocol.
    /// </summary>
    /// <exception cref="FileNotFoundException">A video's features are not cached, or the encoder's bundle is missing (run <see cref="Extract"/> first).</exception>
    /// <exception cref="InvalidDataException">Cached features were made by another encoder or with other settings (run <see cref="Extract"/> again).</exception>
    public TemporalResult TrainTemporal(AbawDataset data, TemporalVariant variant, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(variant);
        Run.UseRecipe(Recipe);
        var cache = new FeatureCache(Run.Features(variant.Encoder));
        var encoder = ModelManifest.Read(RequireBundle(Run.EncoderModel(variant.Encoder), TrainingStageOf(variant.Encoder)));
        return Recipe.TemporalModelOf(variant) == TemporalModelKind.AuthorsTemporalModel
            ? TrainAuthors(data, cache, encoder, variant, progress, cancellationToken)
            : TrainOurs(data, cache, encoder, variant, progress, cancellationToken);
    }

    /// <summary>
    /// Scores the trained temporal model of <paramref name="variant"/> (its bundle in the run folder, or the bundle in
    /// <paramref name="bundleFolder"/>) on the validation videos, over the cached features of the variant's encoder,
    /// predicting (in their precision) by the recipe's inference options for that model (<see cref="AffectMaeRecipe.InferenceOf"/>), or by the
    /// given bundle's own. Reads only: no optimiser, no checkpoint, nothing resumed.
    /// </summary>
    /// <exception cref="FileNotFoundException">The variant has no trained bundle; the message says where its training stands.</exception>
    /// <exception cref="InvalidOperationException">The run's encoder is not the one the temporal model was trained on, or the run was made with another recipe.</exception>
    /// <exception cref="InvalidDataException">Cached features were made by another encoder or with other settings.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing was written.</exception>
    public TemporalResult Evaluate(AbawDataset data, TemporalVariant variant, string? bundleFolder = null, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(variant);
        Run.CheckRecipe(Recipe);
        using var bundle = TemporalBundle.Load(bundleFolder ?? RequireTemporal(variant), Device);
        var encoderManifest = ModelManifest.Read(RequireBundle(Run.EncoderModel(variant.Encoder), TrainingStageOf(variant.Encoder)));
        if (!bundle.TrainedOn(encoderManifest.WeightsSha256))
            throw new InvalidOperationException($"The temporal model {bundle.Folder} was trained on the features of encoder weights {bundle.EncoderSha256}, but the run's encoder "
                + $"{Run.EncoderModel(variant.Encoder)} now holds {encoderManifest.WeightsSha256}: extract and train again before evaluating.");
        var cache = new FeatureCache(Run.Features(variant.Encoder));
        var validation = data.Windows(data.Validation, cache, bundle.Segmenter, FeaturesOf(encoderManifest));
        cancellationToken.ThrowIfCancellationRequested();
        var inference = bundleFolder is null ? Recipe.InferenceOf(variant) : bundle.Inference;
        bundle.Model.UseInferencePrecision(inference.Precision, logger);
        logger.LogInformation("Evaluating {Bundle} on {Videos} validation videos ({Windows} windows)", bundle.Folder, validation.Videos.Count, validation.Count);
        var predictions = TemporalEvaluator.Predict(bundle.Model, validation, Recipe.Optimization.Temporal.BatchSize, Device, inference, progress, cancellationToken);
        return new TemporalResult(variant, TemporalEvaluator.Score(predictions, validation), predictions, null);
    }

    /// <summary>
    /// Per-frame predictions for a folder of face frames, with the run's encoder and trained temporal model of
    /// <paramref name="variant"/>; without <paramref name="options"/>, predicting by the recipe's inference options for that model.
    /// </summary>
    /// <exception cref="FileNotFoundException">A bundle is missing.</exception>
    public VideoAffect Predict(string framesFolder, TemporalVariant variant, AffectRecognizerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variant);
        using var recognizer = AffectRecognizer.Load(RequireBundle(Run.EncoderModel(variant.Encoder), TrainingStageOf(variant.Encoder)), RequireTemporal(variant), Device,
            options ?? new AffectRecognizerOptions
            {
                BatchSize = Recipe.Inference.EncoderBatchSize, WindowBatchSize = Recipe.Optimization.Temporal.BatchSize, Inference = Recipe.InferenceOf(variant),
            });
        return recognizer.PredictFolder(framesFolder, cancellationToken);
    }

    private TemporalResult TrainOurs(AbawDataset data, FeatureCache cache, ModelManifest encoder, TemporalVariant variant, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var features = FeaturesOf(encoder);
        var train = data.Windows(data.Train, cache, Segmenter, features);
        var validation = data.Windows(data.Validation, cache, Segmenter, features);
        var inference = Recipe.InferenceOf(variant);
        manual_seed(Recipe.Seed);
        using var model = new AffectSequenceModel(Recipe.SequenceModelFor(variant));
        model.to(Device);
        using var stage = new TemporalTrainingStage(model, Recipe.Optimization.Temporal, validation: inference);
        var run = Training(Run.TemporalCheckpoints(variant), 0, progress);
        var state = stage.Run(train, validation, run, cancellationToken);
        TrainingCheckpoint.LoadWeights(run.Checkpoints!.Best, model);
        TemporalBundle.Save(Run.TemporalModel(variant), model, Recipe.Segmentation, Recipe.Name, encoder.WeightsSha256, state, inference);
        var predictions = TemporalEvaluator.Predict(model, validation, Recipe.Optimization.Temporal.BatchSize, Device, inference, cancellationToken: cancellationToken);
        return new TemporalResult(variant, TemporalEvaluator.Score(predictions, validation), predictions, state);
    }

    // The authors' way: one model a task, each trained to its own best epoch, then joined into one bundle.
    private TemporalResult TrainAuthors(AbawDataset data, FeatureCache cache, ModelManifest encoder, TemporalVariant variant, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var authors = Recipe.AuthorsTemporal;
        var features = FeaturesOf(encoder);
        var train = data.Windows(data.Train, cache, authors.TrainingSegmenter(), features);
        var validation = data.Windows(data.Validation, cache, new VideoSegmenter(authors.Segmentation.WindowLength, authors.Segmentation.Stride), features);
        var models = new List<TemporalAffectModel>();
        var states = new Dictionary<AffectTask, TrainingState>();
        try
        {
            foreach (var task in AffectTasks.Split(authors.Tasks))
            {
                manual_seed(Recipe.Seed);
                var model = new AuthorsTemporalModel(authors.ModelFor(task));
                models.Add(model);
                model.to(Device);
                using var stage = new TemporalTrainingStage(model, authors.Optimization[task], authors.Objective(), authors.Inference);
                var run = Training(Run.TemporalCheckpoints(variant, task), 0, progress, authors.DropLast);
                states[task] = stage.Run(train, validation, run, cancellationToken);
                TrainingCheckpoint.LoadWeights(run.Checkpoints!.Best, model);
            }
        }
        catch
        {
            foreach (var model in models) model.Dispose();
            throw;
        }
        using var joined = new PerTaskTemporalModel(models);
        TemporalBundle.Save(Run.TemporalModel(variant), joined, authors.Segmentation, Recipe.Name, encoder.WeightsSha256, inference: authors.Inference, trainingByTask: states);
        var predictions = TemporalEvaluator.Predict(joined, validation, Recipe.Optimization.Temporal.BatchSize, Device, authors.Inference, cancellationToken: cancellationToken);
        return new TemporalResult(variant, TemporalEvaluator.Score(predictions, validation), predictions, null) { TaskTraining = states };
    }

    private VideoSegmenter Segmenter => new(Recipe.Segmentation);

    // What cached features must have been made with: this encoder, in the precision Extract runs it in on this device.
    private FeatureProvenance FeaturesOf(ModelManifest encoder) =>
        EncoderBundle.ProvenanceOf(encoder, Runtime.PrecisionResolver.Resolve(Recipe.Inference.Precision, Device).Precision);

    private StageRunOptions Training(string folder, int everySteps, IProgress<TrainingProgress>? progress, bool dropLast = false) => new()
    {
        Checkpoints = new CheckpointPolicy { Folder = folder, EverySteps = everySteps },
        DropLast = dropLast,
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
        var checkpoints = Recipe.TemporalModelOf(variant) == TemporalModelKind.AuthorsTemporalModel
            ? AffectTasks.Split(Recipe.AuthorsTemporal.Tasks).Select(t => (Folder: Run.TemporalCheckpoints(variant, t), Recipe.AuthorsTemporal.Optimization[t].Epochs))
            : [(Run.TemporalCheckpoints(variant), Recipe.Optimization.Temporal.Epochs)];
        var stopped = checkpoints.Select(c => (Last: Path.Combine(c.Folder, "last"), c.Epochs)).Where(c => TrainingCheckpoint.Exists(c.Last)).ToList();
        string state = stopped.Count > 0
            ? $"its training stopped at {string.Join(", ", stopped.Select(c => $"epoch {TrainingCheckpoint.ReadState(c.Last).Epoch} of {c.Epochs} ({c.Last})"))}; train it again to resume and finish"
            : "it has not been trained; train it first";
        throw new FileNotFoundException($"The temporal model '{variant.Name}' has no trained bundle at {folder}: {state}.", Path.Combine(folder, ModelManifest.FileName));
    }

    private static string RequireBundle(string folder, string stage) =>
        File.Exists(Path.Combine(folder, ModelManifest.FileName)) ? folder
        : throw new FileNotFoundException($"No model bundle at {folder}; run {stage} first.", Path.Combine(folder, ModelManifest.FileName));

    private static string TrainingStageOf(EncoderKind encoder) => encoder == EncoderKind.FineTuned ? "fine-tuning (FineTune)" : "pre-training (Pretrain)";
}
