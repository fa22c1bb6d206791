using System.Runtime;
using AffectMae.Models.Runtime;

namespace AffectMae.Models.Tests.Runtime;

[Collection(GlobalRngCollection.Name)]   // runs alone: the pause is process-wide
public class CollectionPauseTests
{
    [Fact]
    public void Collections_are_held_off_until_the_last_holder_leaves()
    {
        var outer = CollectionPause.Begin();
        GCSettings.LatencyMode.Should().Be(GCLatencyMode.NoGCRegion);
        var inner = CollectionPause.Begin();

        inner.Dispose();
        CollectionPause.IsActive.Should().BeTrue("the outer holder still holds the pause");
        outer.Dispose();

        CollectionPause.IsActive.Should().BeFalse();
    }

    [Fact]
    public void Disposing_a_holder_twice_releases_it_once()
    {
        var first = CollectionPause.Begin();
        var second = CollectionPause.Begin();

        second.Dispose();
        second.Dispose();

        CollectionPause.IsActive.Should().BeTrue("the first holder has not left");
        first.Dispose();
        CollectionPause.IsActive.Should().BeFalse();
    }

    [Fact]
    public void A_pause_whose_budget_ran_out_ends_without_error()
    {
        var pause = CollectionPause.Begin();
        GC.Collect();   // an induced collection ends the no-GC region early, as an exhausted budget does

        var end = () => pause.Dispose();

        end.Should().NotThrow();
        CollectionPause.IsActive.Should().BeFalse();
    }
}
