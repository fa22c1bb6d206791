using AffectMae.Core.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using AffectMae.Models.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>Progress of a training run, reported after every optimiser step.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="StepInEpoch">Steps done in the epoch.</param>
/// <param name="StepsPerEpoch">Steps an epoch.</param>
/// <param name="GlobalStep">Steps since the start.</param>
/// <param name="Loss">Loss of the last step.</param>
/// <param name="LearningRate">Learning rate of the first parameter group at the last step.</param>
/// <param name="Epochs">Epochs the run takes.</param>
public readonly record struct TrainingProgress(int Epoch, int StepInEpoch, int StepsPerEpoch, long GlobalStep, double Loss, double LearningRate, int Epochs)
{
    /// <summary>Optimiser steps the whole run takes: <see cref="Epochs"/> · <see cref="StepsPerEpoch"/>.</summary>
    public long TotalSteps => (long)Epochs * StepsPerEpoch;
}

/// <summary>Where and how often a <see cref="Trainer"/> saves checkpoints.</summary>
public sealed class CheckpointPolicy
{
    /// <summary>Folder that receives <c>last/</c> (after every epoch and every <see cref="EverySteps"/> steps) and <c>best/</c>.</summary>
    public required string Folder { get; init; }

    /// <summary>Also save <c>last/</c> every this many steps inside an epoch; 0 saves only at epoch ends.</summary>
    public int EverySteps { get; init; }

    /// <summary>Directory of the latest checkpoint.</summary>
    public string Last => Path.Combine(Folder, "last");

    /// <summary>Directory of the checkpoint with the best validation score.</summary>
    public string Best => Path.Combine(Folder, "best");
}

/// <summary>
/// The optimisation loop shared by the three stages: per-step learning rate (ILearningRateSchedule), AdamW step, optional gradient
/// clipping, checkpoints that resume exactly, validation with the best checkpoint kept. Use <see cref="Step"/> inside
/// your own loop, or <see cref="Fit{TBatch}"/> to run epochs.
/// </summary>
public sealed class Trainer
{
    private readonly nn.Module model;
    private readonly OptimizerHelper optimizer;
    private readonly OptimizationOptions options;
    private readonly ILogger logger;

    /// <summary>Creates a trainer for <paramref name="model"/> with <paramref name="stepsPerEpoch"/> batches an epoch.</summary>
    /// <param name="model">The model trained.</param>
    /// <param name="optimizer">Its optimiser.</param>
    /// <param name="options">Epochs, clipping and, unless <paramref name="schedule"/> is given, the schedule.</param>
    /// <param name="stepsPerEpoch">Batches an epoch.</param>
    /// <param name="logger">Receives one line an epoch.</param>
    /// <param name="schedule">The learning-rate schedule; <see langword="null"/> for <see cref="OptimizationOptions.CreateSchedule"/>.</param>
    public Trainer(nn.Module model, OptimizerHelper optimizer, OptimizationOptions options, int stepsPerEpoch, ILogger? logger = null, ILearningRateSchedule? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        this.model = model;
        this.optimizer = optimizer;
        this.options = options = OptionsValidation.ValidatedCopy(new OptimizationOptionsValidator(), options, nameof(options));
        Schedule = schedule ?? options.CreateSchedule(stepsPerEpoch);
        if (Schedule.StepsPerEpoch != stepsPerEpoch)
            throw new ArgumentException($"The schedule counts {Schedule.StepsPerEpoch} steps an epoch but the trainer {stepsPerEpoch}; build the schedule for {stepsPerEpoch}.", nameof(schedule));
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// AdamW over <paramref name="parameters"/> with the options' rate, betas and weight decay; it updates parameters
    /// exactly as TorchSharp's and PyTorch's AdamW and frees each parameter's temporaries before the next.
    /// </summary>
    public static AdamW CreateAdamW(IEnumerable<TorchSharp.Modules.Parameter> parameters, OptimizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        return WeightDecayGroups.CreateAdamW([new AdamW.ParamGroup(parameters)], options);
    }

    /// <summary>The learning-rate schedule.</summary>
    public ILearningRateSchedule Schedule { get; }

    /// <summary>Where the run stands.</summary>
    public TrainingState State { get; private set; } = TrainingState.Start;

    /// <summary>
    /// One optimiser step: set the scheduled rate, compute the loss, back-propagate, clip, step; then the step's freed
    /// memory goes back to the system (<see cref="NativeHeap.ReturnFreedMemory"/>), so the next step starts lean.
    /// </summary>
    /// <returns>The loss value.</returns>
    public double Step(Func<Tensor> computeLoss)
    {
        ArgumentNullException.ThrowIfNull(computeLoss);
        double value = StepInScope(computeLoss);
        NativeHeap.ReturnFreedMemory();              // after the scope: the step's tensors are freed by now
        return value;
    }

    private double StepInScope(Func<Tensor> computeLoss)
    {
        using var pause = CollectionPause.Begin();   // see CollectionPause: TorchSharp's temporary Scalars
        using var scope = NewDisposeScope();
        Schedule.Apply(optimizer, State.GlobalStep);
        optimizer.zero_grad();
        var loss = computeLoss();
        double value = loss.item<float>();
        if (!double.IsFinite(value))
            throw new InvalidOperationException($"The loss is {value} at epoch {State.Epoch}, step {State.StepInEpoch}; lower the learning rate or check the inputs.");
        loss.backward();
        if (options.GradientClipNorm > 0)
            nn.utils.clip_grad_norm_(model.parameters(), options.GradientClipNorm);
        optimizer.step();
        State = State with { StepInEpoch = State.StepInEpoch + 1, GlobalStep = State.GlobalStep + 1 };
        return value;
    }

    /// <summary>
    /// When <c>best/</c> holds a better score than <see cref="State"/> knows of (a run restarted over an earlier one),
    /// takes that score as the one to beat, so <c>best/</c> is only ever replaced by a better model.
    /// </summary>
    private void AdoptBestOnDisk(CheckpointPolicy? checkpoints)
    {
        if (checkpoints is null || !TrainingCheckpoint.Exists(checkpoints.Best)) return;
        var held = TrainingCheckpoint.ReadState(checkpoints.Best);
        if (held.BestScore is double score && (State.BestScore is null || score > State.BestScore))
        {
            logger.LogInformation("{Best} holds validation score {Score:F5} from epoch {Epoch}; only a better score replaces it", checkpoints.Best, score, held.BestEpoch + 1);
            State = State with { BestScore = score, BestEpoch = held.BestEpoch };
        }
    }

    /// <summary>Continues from a checkpoint written by this trainer (weights, optimiser, random generator, position).</summary>
    /// <param name="checkpointDirectory">The checkpoint folder, e.g. <see cref="CheckpointPolicy.Last"/>.</param>
    /// <exception cref="DirectoryNotFoundException">There is no checkpoint there.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is damaged or does not fit the model; the message names the file.</exception>
    public void Resume(string checkpointDirectory)
    {
        State = TrainingCheckpoint.Load(checkpointDirectory, model, optimizer);
        logger.LogInformation("Resumed from {Checkpoint} at epoch {Epoch}, step {Step}", checkpointDirectory, State.Epoch, State.StepInEpoch);
    }

    /// <summary>
    /// Trains from <see cref="State"/> to <see cref="OptimizationOptions.Epochs"/>. <paramref name="epochBatches"/>
    /// gives the batches of an epoch in a fixed order for that epoch number (a seeded shuffle), so a resumed run
    /// skips the batches it has done and sees the rest as the interrupted run would have.
    /// </summary>
    /// <param name="epochBatches">Batches of epoch e; disposable batches are disposed after their step.</param>
    /// <param name="loss">The loss of a batch; the model is in training mode.</param>
    /// <param name="validate">
    /// Score of the model after an epoch, higher is better (evaluation mode), optionally with named figures that go into
    /// <see cref="TrainingState.History"/>; a <c>double</c> converts. Null for none. <c>best/</c> is saved only when the
    /// score beats both <see cref="TrainingState.BestScore"/> and the score <c>best/</c> already holds.
    /// </param>
    /// <param name="checkpoints">Where to save checkpoints; null for none.</param>
    /// <param name="progress">Receives a report after every step.</param>
    /// <param name="cancellationToken">Stops after the current step; with checkpoints, <c>last/</c> is saved first.</param>
    /// <returns>The final state.</returns>
    /// <exception cref="InvalidOperationException">The loss or the validation score is not finite.</exception>
    /// <exception cref="InvalidDataException"><c>best/</c> exists but is damaged; the message names the file.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; <c>last/</c> holds the step reached.</exception>
    public TrainingState Fit<TBatch>(
        Func<int, IEnumerable<TBatch>> epochBatches, Func<TBatch, Tensor> loss, Func<int, ValidationScores>? validate = null,
        CheckpointPolicy? checkpoints = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(epochBatches);
        ArgumentNullException.ThrowIfNull(loss);
        while (State.Epoch < options.Epochs)
        {
            int epoch = State.Epoch;
            model.train();
            double lossSum = 0;
            int counted = 0;
            int alreadyDone = State.StepInEpoch;
            using var batches = epochBatches(epoch).GetEnumerator();
            while (NextBatch(batches, checkpoints, cancellationToken))
            {
                var batch = batches.Current;
                if (alreadyDone > 0)
                {
                    alreadyDone--;                      // done before the run was resumed
                    (batch as IDisposable)?.Dispose();
                    continue;
                }
                try
                {
                    double value = Step(() => loss(batch));
                    lossSum += value;
                    counted++;
                    progress?.Report(new TrainingProgress(epoch, State.StepInEpoch, Schedule.StepsPerEpoch, State.GlobalStep, value, optimizer.ParamGroups.First().LearningRate, options.Epochs));
                }
                finally
                {
                    (batch as IDisposable)?.Dispose();
                }
                if (checkpoints is { EverySteps: > 0 } && State.StepInEpoch % checkpoints.EverySteps == 0)
                    SaveLast(checkpoints);
                if (cancellationToken.IsCancellationRequested)
                {
                    SaveLast(checkpoints);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            double meanLoss = counted > 0 ? lossSum / counted : double.NaN;
            logger.LogInformation("Epoch {Epoch}/{Epochs}: mean loss {Loss:F5} over {Steps} steps", epoch + 1, options.Epochs, meanLoss, counted);
            var record = new EpochRecord(epoch, meanLoss);
            bool improved = false;
            if (validate is not null)
            {
                model.eval();
                ValidationScores scores;
                using (no_grad()) scores = validate(epoch);
                logger.LogInformation("Epoch {Epoch}: validation score {Score:F5}", epoch + 1, scores.Score);
                if (!double.IsFinite(scores.Score))
                    throw new InvalidOperationException($"The validation score is {scores.Score} after epoch {epoch + 1}; check the validation set and the model's outputs.");
                record = record with { Score = scores.Score, Metrics = scores.Metrics };
                AdoptBestOnDisk(checkpoints);
                improved = State.BestScore is null || scores.Score > State.BestScore;
            }
            State = State with
            {
                Epoch = epoch + 1,
                StepInEpoch = 0,
                BestScore = improved ? record.Score : State.BestScore,
                BestEpoch = improved ? epoch : State.BestEpoch,
                History = [.. State.History ?? [], record],
            };
            if (improved && checkpoints is not null) TrainingCheckpoint.Save(checkpoints.Best, model, optimizer, State);
            SaveLast(checkpoints);
        }
        return State;
    }

    // A batch source that stops when cancelled (DataLoader waiting for its workers) throws between steps: the steps
    // taken since the last save are saved first, as when the token is seen after a step.
    private bool NextBatch<TBatch>(IEnumerator<TBatch> batches, CheckpointPolicy? checkpoints, CancellationToken cancellationToken)
    {
        try
        {
            return batches.MoveNext();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            SaveLast(checkpoints);
            throw;
        }
    }

    private void SaveLast(CheckpointPolicy? checkpoints)
    {
        if (checkpoints is not null) TrainingCheckpoint.Save(checkpoints.Last, model, optimizer, State);
    }
}
