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
public readonly record struct TrainingProgress(int Epoch, int StepInEpoch, int StepsPerEpoch, long GlobalStep, double Loss, double LearningRate);

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
/// The optimisation loop shared by the three stages: per-step cosine learning rate, AdamW step, optional gradient
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
    public Trainer(nn.Module model, OptimizerHelper optimizer, OptimizationOptions options, int stepsPerEpoch, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        this.model = model;
        this.optimizer = optimizer;
        this.options = options;
        Schedule = new CosineSchedule(options, stepsPerEpoch);
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
    public CosineSchedule Schedule { get; }

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

    /// <summary>Continues from a checkpoint written by this trainer (weights, optimiser, random generator, position).</summary>
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
    /// <param name="validate">Score of the model after an epoch, higher is better (evaluation mode); null for none.</param>
    /// <param name="checkpoints">Where to save checkpoints; null for none.</param>
    /// <param name="progress">Receives a report after every step.</param>
    /// <param name="cancellationToken">Stops after the current step; with checkpoints, <c>last/</c> is saved first.</param>
    public TrainingState Fit<TBatch>(
        Func<int, IEnumerable<TBatch>> epochBatches, Func<TBatch, Tensor> loss, Func<int, double>? validate = null,
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
            foreach (var batch in epochBatches(epoch))
            {
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
                    progress?.Report(new TrainingProgress(epoch, State.StepInEpoch, Schedule.StepsPerEpoch, State.GlobalStep, value, optimizer.ParamGroups.First().LearningRate));
                }
                finally
                {
                    (batch as IDisposable)?.Dispose();
                }
                if (checkpoints is { EverySteps: > 0 } && State.StepInEpoch % checkpoints.EverySteps == 0)
                    TrainingCheckpoint.Save(checkpoints.Last, model, optimizer, State);
                if (cancellationToken.IsCancellationRequested)
                {
                    if (checkpoints is not null) TrainingCheckpoint.Save(checkpoints.Last, model, optimizer, State);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            State = State with { Epoch = epoch + 1, StepInEpoch = 0 };
            logger.LogInformation("Epoch {Epoch}/{Epochs}: mean loss {Loss:F5} over {Steps} steps", epoch + 1, options.Epochs, counted > 0 ? lossSum / counted : double.NaN, counted);
            if (validate is not null)
            {
                model.eval();
                double score;
                using (no_grad()) score = validate(epoch);
                logger.LogInformation("Epoch {Epoch}: validation score {Score:F5}", epoch + 1, score);
                if (State.BestScore is null || score > State.BestScore)
                {
                    State = State with { BestScore = score, BestEpoch = epoch };
                    if (checkpoints is not null) TrainingCheckpoint.Save(checkpoints.Best, model, optimizer, State);
                }
            }
            if (checkpoints is not null) TrainingCheckpoint.Save(checkpoints.Last, model, optimizer, State);
        }
        return State;
    }
}
