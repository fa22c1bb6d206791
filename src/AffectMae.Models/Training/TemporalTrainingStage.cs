using AffectMae.Core.Data;
using AffectMae.Core.Options;
using AffectMae.Models.Data;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Temporal;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// Stage 3 (paper §3.4–3.5): the temporal model on cached frame features cut into windows, AdamW with warm-up and
/// cosine, the best epoch chosen by the ABAW score on validation videos. Use <see cref="Loss"/> in your own loop or
/// <see cref="Run"/> as it is.
/// </summary>
public sealed class TemporalTrainingStage : IDisposable
{
    private readonly AffectObjective objective;

    /// <summary>Creates the stage for <paramref name="model"/>.</summary>
    /// <param name="model">Either temporal model.</param>
    /// <param name="options">Optimisation; <see cref="OptimizationOptions.Temporal"/> when null (the authors' recipe: <see cref="OptimizationOptions.AuthorsTemporal"/>).</param>
    /// <param name="objective">The losses; ours when null (the authors': <see cref="AffectObjective.Released"/>). The stage disposes it.</param>
    /// <param name="validation">How validation predicts; <see cref="InferenceOptions.OverlapAverage"/> when null (the authors': <see cref="InferenceOptions.Released"/>).</param>
    public TemporalTrainingStage(TemporalAffectModel model, OptimizationOptions? options = null, AffectObjective? objective = null, InferenceOptions? validation = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Options = OptionsValidation.ValidatedCopy(new OptimizationOptionsValidator(), options ?? OptimizationOptions.Temporal, nameof(options));
        this.objective = objective ?? new AffectObjective();
        Validation = OptionsValidation.ValidatedCopy(new InferenceOptionsValidator(), validation ?? InferenceOptions.OverlapAverage, nameof(validation));
    }

    /// <summary>The model trained.</summary>
    public TemporalAffectModel Model { get; }

    /// <summary>Optimisation settings.</summary>
    public OptimizationOptions Options { get; }

    /// <summary>How validation predicts.</summary>
    public InferenceOptions Validation { get; }

    /// <summary>The loss of one batch of windows (1 − CCC + cross-entropy + BCE over the tasks the model predicts).</summary>
    public Tensor Loss(FeatureWindowBatch batch) => objective.Loss(Model, batch);

    /// <summary>Trains to the end (resuming from <c>last/</c> when present); with validation, keeps <c>best/</c>.</summary>
    /// <param name="train">The training windows.</param>
    /// <param name="validation">The validation windows, or null to train without choosing a best epoch.</param>
    /// <param name="run">Checkpoints, device, loader, progress.</param>
    /// <param name="cancellationToken">Stops after the current step, saving <c>last/</c> first.</param>
    /// <returns>The final state.</returns>
    /// <exception cref="ArgumentException">
    /// The training or validation set has no labelled frame for a task the model predicts (checked before the first
    /// step, naming the task), or the training set is smaller than one batch.
    /// </exception>
    /// <exception cref="InvalidDataException">The checkpoint in <c>last/</c> or <c>best/</c> is damaged; the message names the file.</exception>
    public TrainingState Run(FeatureWindowDataset train, FeatureWindowDataset? validation, StageRunOptions? run = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        RequireLabels(train, "training", nameof(train));
        if (validation is not null) RequireLabels(validation, "validation", nameof(validation));
        run ??= new StageRunOptions();
        if (run.Checkpoints is null || !TrainingCheckpoint.Exists(run.Checkpoints.Last)) manual_seed(Options.Seed);
        using var optimizer = WeightDecayGroups.CreateAdamW(Model, Options);
        Func<int, ValidationScores>? validate = validation is null ? null
            : _ => Scores(TemporalEvaluator.Evaluate(Model, validation, Options.BatchSize, run.Device, Validation));
        return StageRun.Fit(Model, optimizer, Options, train, Loss, validate, run, cancellationToken);
    }

    /// <summary>Fails unless every task the model predicts has at least one labelled frame in <paramref name="set"/>.</summary>
    private void RequireLabels(FeatureWindowDataset set, string which, string parameter)
    {
        foreach (var task in AffectTasks.Each)
        {
            if (!Model.Tasks.HasFlag(task) || set.LabelledFrames(task) > 0) continue;
            throw new ArgumentException($"The {which} set ({set.Videos.Count} videos) has no frame labelled for {task}, which the model predicts: "
                + $"add {which} videos annotated for {task}, or leave it out of {nameof(TaskHeadsOptions)}.{nameof(TaskHeadsOptions.Tasks)}.", parameter);
        }
    }

    /// <summary>The overall score (mean of the challenge scores) with P_VA, P_EXPR and P_AU as named figures.</summary>
    public static ValidationScores Scores(AbawEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var metrics = new Dictionary<string, double>();
        if (evaluation.ValenceArousal is { } va) metrics["P_VA"] = va.Score;
        if (evaluation.Expression is { } expr) metrics["P_EXPR"] = expr.Score;
        if (evaluation.ActionUnits is { } au) metrics["P_AU"] = au.Score;
        return new ValidationScores(evaluation.Overall, metrics);
    }

    /// <inheritdoc />
    public void Dispose() => objective.Dispose();
}
