using AffectMae.Models.Data;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>How a stage's <c>Run</c> feeds, saves and reports.</summary>
public sealed class StageRunOptions
{
    /// <summary>
    /// Worker threads that stage training batches in the background (see <see cref="DataLoaderOptions.Workers"/>).
    /// The stage's loader takes its batch size and seed from the stage's <see cref="OptimizationOptions"/> only, so
    /// nothing here can contradict them. <value>The default value is 2.</value>
    /// </summary>
    public int Workers { get; init; } = 2;

    /// <summary>Most batches staged ahead of training (see <see cref="DataLoaderOptions.PrefetchBatches"/>). <value>The default value is 4.</value></summary>
    public int PrefetchBatches { get; init; } = 4;

    /// <summary>Drop an epoch's last batch when it is smaller than the batch size. <value>The default value is false.</value></summary>
    public bool DropLast { get; init; }

    /// <summary>Where checkpoints go (a run resumes from <c>last/</c> when it exists), or null.</summary>
    public CheckpointPolicy? Checkpoints { get; init; }

    /// <summary>Device of the batches (the model must already be there); CPU when null.</summary>
    public Device? Device { get; init; }

    /// <summary>Receives a report after every step.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Receives one line an epoch.</summary>
    public ILogger? Logger { get; init; }
}

/// <summary>The loop every stage shares: seed, build the loader and trainer, resume, fit.</summary>
internal static class StageRun
{
    internal static TrainingState Fit<TStaged, TBatch>(
        nn.Module model, AdamW optimizer, OptimizationOptions options, IBatchDataset<TStaged, TBatch> train,
        Func<TBatch, Tensor> loss, Func<int, ValidationScores>? validate, StageRunOptions run, CancellationToken cancellationToken)
        where TStaged : class
        where TBatch : IDisposable
    {
        var loaderOptions = new DataLoaderOptions
        {
            BatchSize = options.BatchSize, Seed = unchecked((int)options.Seed), Shuffle = true, DropLast = run.DropLast,
            Workers = run.Workers, PrefetchBatches = run.PrefetchBatches,
        };
        var loader = Data.DataLoader.Create(train, loaderOptions, run.Device);
        if (loader.BatchCount == 0)
            throw new ArgumentException($"The training set has {train.Count} items, fewer than one batch of {options.BatchSize} with DropLast; lower BatchSize.", nameof(train));
        var trainer = new Trainer(model, optimizer, options, loader.BatchCount, run.Logger);
        if (run.Checkpoints is not null && TrainingCheckpoint.Exists(run.Checkpoints.Last))
            trainer.Resume(run.Checkpoints.Last);
        return trainer.Fit(epoch => loader.Epoch(epoch, cancellationToken), loss, validate, run.Checkpoints, run.Progress, cancellationToken);
    }
}
