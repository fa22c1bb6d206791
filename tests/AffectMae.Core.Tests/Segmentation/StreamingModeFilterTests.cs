using AffectMae.Core.Segmentation;

namespace AffectMae.Core.Tests.Segmentation;

public sealed class StreamingModeFilterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(40)]
    public void Fed_frame_by_frame_it_gives_the_batch_filter_s_labels_with_a_delay_of_half_the_window(int k)
    {
        var random = new Random(k + 1);
        foreach (int n in new[] { 1, 2, 7, 23, 90 })
        {
            int[] labels = [.. Enumerable.Range(0, n).Select(_ => random.Next(random.Next(1, 9)))];
            var filter = new StreamingModeFilter(k);
            var streamed = new List<int?>();
            for (int i = 0; i < n; i++)
            {
                streamed.AddRange(filter.Add(labels[i]));
                streamed.Should().HaveCount(Math.Max(0, i + 1 - k / 2), $"frame {i} arrived; ⌊k/2⌋ = {k / 2} frames of look-ahead");
            }
            streamed.AddRange(filter.Complete());

            streamed.Should().Equal(ModeFilter.Apply(labels, k).Select(l => (int?)l), $"n = {n}, k = {k}");
        }
    }

    [Fact]
    public void A_frame_without_a_label_is_not_counted_and_stays_without_one()
    {
        // k = 2 (one frame either side). Frame 0: {3} → 3. Frame 2: frames 1–3 hold {1, 3}, a tie → 1. Frame 3: frames
        // 2–4 hold {1, 3} → 1. Frame 5: frames 4–5 hold {1} → 1. Frames 1 and 4 have no label and get none.
        var filter = new StreamingModeFilter(2);
        var streamed = new List<int?>();
        foreach (int? label in new int?[] { 3, null, 1, 3, null, 1 }) streamed.AddRange(filter.Add(label));
        streamed.AddRange(filter.Complete());

        streamed.Should().Equal(3, null, 1, 1, null, 1);
    }

    [Fact]
    public void Negative_labels_and_windows_are_refused()
    {
        FluentActions.Invoking(() => new StreamingModeFilter(-1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new StreamingModeFilter(4).Add(-1)).Should().Throw<ArgumentException>().WithMessage("Label -1 at frame 0 is negative*");
    }
}
