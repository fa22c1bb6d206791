using AffectMae.Models.Data;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Data;

public sealed class DataLoaderTests : IDisposable
{
    private readonly TestImages images = new();

    public void Dispose() => images.Dispose();

    /// <summary>Items 0 … n−1; a batch records its items and one draw from its generator. Batches whose first item is a multiple of 3 stage slowly, so workers finish out of order.</summary>
    private sealed class CountingDataset(int count) : IBatchDataset<int[], CountingDataset.Batch>
    {
        public sealed record Batch(int[] Items, int Draw) : IDisposable
        {
            public void Dispose() { }
        }

        public int Staged;

        public int Count => count;

        public int[] Stage(IReadOnlyList<int> indices, Random random, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Staged);
            if (indices[0] % 3 == 0) Thread.Sleep(2);
            return [.. indices, random.Next()];
        }

        public Batch ToBatch(int[] staged, Device device) => new(staged[..^1], staged[^1]);
    }

    private static DataLoaderOptions Options(int batchSize = 3, int seed = 1, int workers = 0, bool dropLast = false, bool shuffle = true) =>
        new() { BatchSize = batchSize, Seed = seed, Workers = workers, PrefetchBatches = Math.Max(1, 2 * workers), DropLast = dropLast, Shuffle = shuffle };

    private static List<CountingDataset.Batch> Run(DataLoaderOptions options, int epoch, int count = 10) =>
        DataLoader.Create(new CountingDataset(count), options).Epoch(epoch).ToList();

    [Fact]
    public void The_same_seed_gives_the_same_batches_in_a_fresh_loader_and_another_epoch_a_different_order()
    {
        var first = Run(Options(), epoch: 4);
        var resumed = Run(Options(), epoch: 4);   // a run resumed at epoch 4
        var next = Run(Options(), epoch: 5);
        var otherSeed = Run(Options(seed: 2), epoch: 4);

        resumed.Select(b => (string.Join(",", b.Items), b.Draw)).Should().Equal(first.Select(b => (string.Join(",", b.Items), b.Draw)));
        next.SelectMany(b => b.Items).Should().NotEqual(first.SelectMany(b => b.Items));
        otherSeed.SelectMany(b => b.Items).Should().NotEqual(first.SelectMany(b => b.Items));
    }

    [Fact]
    public void Every_item_is_seen_exactly_once_an_epoch_and_the_last_batch_holds_the_remainder()
    {
        var batches = Run(Options(batchSize: 3), epoch: 0);

        batches.Select(b => b.Items.Length).Should().Equal(3, 3, 3, 1);
        batches.SelectMany(b => b.Items).Should().BeEquivalentTo(Enumerable.Range(0, 10));
    }

    [Fact]
    public void Drop_last_yields_only_full_batches_of_distinct_items()
    {
        var loader = DataLoader.Create(new CountingDataset(10), Options(batchSize: 3, dropLast: true));
        var batches = loader.Epoch(2).ToList();

        loader.BatchCount.Should().Be(3);
        batches.Should().OnlyContain(b => b.Items.Length == 3);
        batches.SelectMany(b => b.Items).Should().OnlyHaveUniqueItems().And.HaveCount(9);
    }

    [Fact]
    public void Without_shuffling_items_come_in_dataset_order()
    {
        Run(Options(batchSize: 4, shuffle: false), epoch: 3).SelectMany(b => b.Items).Should().Equal(Enumerable.Range(0, 10));
    }

    [Fact]
    public void Background_workers_yield_the_same_batches_in_the_same_order_as_synchronous_staging()
    {
        var synchronous = Run(Options(batchSize: 2, workers: 0), epoch: 1, count: 40);
        var background = Run(Options(batchSize: 2, workers: 3), epoch: 1, count: 40);

        background.Select(b => (string.Join(",", b.Items), b.Draw)).Should().Equal(synchronous.Select(b => (string.Join(",", b.Items), b.Draw)));
    }

    [Fact]
    public void Background_staging_of_augmented_images_gives_tensors_equal_to_synchronous_staging()
    {
        var paths = Enumerable.Range(0, 6).Select(i => images.Gradient($"{i}.png", 20, 16, variant: i)).ToArray();
        var dataset = new ImageListDataset(paths, ImageTransform.MaePretraining(8));

        var synchronous = DataLoader.Create(dataset, Options(batchSize: 2, workers: 0)).Epoch(0).ToList();
        var background = DataLoader.Create(dataset, Options(batchSize: 2, workers: 2)).Epoch(0).ToList();

        background.Should().HaveCount(3);
        for (int k = 0; k < 3; k++)
        {
            background[k].Indices.Should().Equal(synchronous[k].Indices);
            using var same = background[k].Images.eq(synchronous[k].Images).all();
            same.item<bool>().Should().BeTrue($"batch {k} matches");
        }
        foreach (var batch in synchronous.Concat(background)) batch.Dispose();
    }

    [Fact]
    public void A_worker_exception_reaches_the_consumer_at_that_batch_and_names_the_file()
    {
        var paths = Enumerable.Range(0, 6).Select(i => images.Gradient($"{i}.png", variant: i)).ToArray();
        paths[3] = images.Corrupt("00003.jpg");
        var loader = DataLoader.Create(new ImageListDataset(paths, ImageTransform.Eval(8)), Options(batchSize: 2, workers: 2, shuffle: false));
        var received = new List<int>();

        var act = () =>
        {
            foreach (var batch in loader.Epoch(0))
                using (batch) received.AddRange(batch.Indices);
        };

        act.Should().Throw<InvalidDataException>().WithMessage($"*{paths[3]}*");
        received.Should().Equal(0, 1);   // batch 0 arrived; batch 1 (items 2, 3) failed
    }

    [Fact]
    public void Leaving_the_loop_early_stops_the_workers_after_at_most_the_prefetched_batches()
    {
        var dataset = new CountingDataset(100);
        var loader = DataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 1, Workers = 2, PrefetchBatches = 2 });

        using (var batches = loader.Epoch(0).GetEnumerator())
            batches.MoveNext().Should().BeTrue();
        int stagedAtDispose = Volatile.Read(ref dataset.Staged);
        Thread.Sleep(30);

        stagedAtDispose.Should().BeLessThanOrEqualTo(3, "one batch taken plus at most two prefetched");
        Volatile.Read(ref dataset.Staged).Should().Be(stagedAtDispose, "no worker runs after disposal");
    }

    [Fact]
    public void Cancelling_the_token_ends_the_epoch_with_OperationCanceledException()
    {
        using var cancellation = new CancellationTokenSource();
        var loader = DataLoader.Create(new CountingDataset(50), Options(batchSize: 1, workers: 2));

        var act = () =>
        {
            foreach (var batch in loader.Epoch(0, cancellation.Token))
                cancellation.Cancel();
        };

        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Options_with_fewer_prefetched_batches_than_workers_are_rejected_with_advice()
    {
        var act = () => DataLoader.Create(new CountingDataset(4), new DataLoaderOptions { Workers = 4, PrefetchBatches = 2 });

        act.Should().Throw<ArgumentException>().WithMessage("*raise PrefetchBatches to at least Workers*");
    }

    [Fact]
    public void A_batch_size_of_zero_is_rejected()
    {
        var act = () => DataLoader.Create(new CountingDataset(4), new DataLoaderOptions { BatchSize = 0 });

        act.Should().Throw<ArgumentException>().WithMessage("*BatchSize must be at least 1*");
    }
}
