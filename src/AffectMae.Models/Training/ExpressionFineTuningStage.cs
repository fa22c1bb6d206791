using AffectMae.Core.Options;
using AffectMae.Metrics;
using AffectMae.Models.Data;
using AffectMae.Models.Mae;
using AffectMae.Models.Runtime;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// Stage 2 (paper §3.2): the pre-trained encoder with a fully connected head fine-tuned on the 8 expressions
/// (cross-entropy, AdamW with layer-wise learning-rate decay, warm-up and cosine); the best epoch is chosen by
/// validation macro F1 (P_EXPR).
/// </summary>
public sealed class ExpressionFineTuningStage
{
    /// <summary>Creates the stage for <paramref name="model"/>.</summary>
    public ExpressionFineTuningStage(MaeClassifier model, OptimizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Options = OptionsValidation.ValidatedCopy(new OptimizationOptionsValidator(), options ?? OptimizationOptions.FineTuning, nameof(options));
    }

    /// <summary>The model trained.</summary>
    public MaeClassifier Model { get; }

    /// <summary>Optimisation settings.</summary>
    public OptimizationOptions Options { get; }

    /// <summary>Cross-entropy of one batch of labelled frames.</summary>
    public Tensor Loss(ImageBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Labels is null)
            throw new ArgumentException("Fine-tuning needs labelled frames; use a LabelledFrameDataset.", nameof(batch));
        using var logits = Model.call(batch.Images);
        return nn.functional.cross_entropy(logits, batch.Labels);
    }

    /// <summary>Macro F1 over the classes of <paramref name="frames"/> (P_EXPR).</summary>
    public double Evaluate(LabelledFrameDataset frames, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        bool wasTraining = Model.training;
        Model.eval();
        var predicted = new List<int>(frames.Count);
        var loader = DataLoader.Create(frames, new DataLoaderOptions { BatchSize = Options.BatchSize, Shuffle = false }, device);
        using (no_grad())
        {
            foreach (var batch in loader.Epoch(0))
            {
                using (batch)
                using (CollectionPause.Begin())
                using (var classes = Model.call(batch.Images).argmax(1).cpu())
                    predicted.AddRange(classes.data<long>().ToArray().Select(c => (int)c));
            }
        }
        if (wasTraining) Model.train();
        return MacroF1.Compute(predicted.ToArray(), frames.Labels.Select(l => (int)l).ToArray(), frames.ClassCount);
    }

    /// <summary>Trains to the end (resuming from <c>last/</c> when present); with validation, keeps <c>best/</c>.</summary>
    public TrainingState Run(LabelledFrameDataset train, LabelledFrameDataset? validation, StageRunOptions? run = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        run ??= new StageRunOptions();
        if (run.Checkpoints is null || !TrainingCheckpoint.Exists(run.Checkpoints.Last)) manual_seed(Options.Seed);
        using var optimizer = WeightDecayGroups.CreateAdamW(Model.ParameterGroups(Options.LearningRate, Options.WeightDecay), Options);
        Func<int, ValidationScores>? validate = validation is null ? null : _ =>
        {
            double score = Evaluate(validation, run.Device);
            return new ValidationScores(score, new Dictionary<string, double> { ["P_EXPR"] = score });
        };
        return StageRun.Fit(Model, optimizer, Options, train, Loss, validate, run, cancellationToken);
    }
}
