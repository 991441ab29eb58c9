using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using PolicyGate.Core.Inspection;
using PolicyGate.Core.Inspection.Detection;
using PolicyGate.Core.Inspection.Tenants;
using PolicyGate.Tests.Corpus;
using Xunit.Abstractions;

namespace PolicyGate.Tests.Inspection;

/// <summary>
/// End to end: a stratified sample of the labelled corpus (every 8th document) served by a backend and fetched through
/// a live inspecting gate (real loopback sockets, block mode, the corpus tenant file). Each positive must be answered
/// 403 naming one of its labelled detectors, each negative must pass unchanged, and the gate's verdicts must equal the
/// engine's on the same bytes.
/// </summary>
public sealed class DetectionCorpusGateTests(ITestOutputHelper output)
{
    private const int Stride = 8;

    private static readonly IReadOnlyList<CorpusDocument> s_corpus = DetectionCorpus.Generate();

    [Fact]
    public async Task Gate_scores_the_corpus_sample_like_the_engine()
    {
        await using InspectionTestHost host = await InspectionTestHost.StartAsync(
            new Dictionary<string, string> { ["corpus"] = CorpusTenant.Toml("block") }, ["corpus"], ServeAsync);
        Assert.True(TenantFileParser.TryParse("corpus.toml", "corpus", CorpusTenant.Toml("block"), out TenantPolicy? policy, out string? error), error);

        int positives = 0, caught = 0, negatives = 0, falsePositives = 0;
        List<string> disagreements = [];
        using CancellationTokenSource deadline = new(TimeSpan.FromMinutes(3));
        for (int index = 0; index < s_corpus.Count; index += Stride)
        {
            CorpusDocument document = s_corpus[index];
            using HttpResponseMessage response = await host.Client.GetAsync(host.Url("corpus", "/corpus/" + index.ToString(CultureInfo.InvariantCulture)), deadline.Token);
            byte[] body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            bool blocked = response.StatusCode == HttpStatusCode.Forbidden;
            Assert.True(blocked || response.StatusCode == HttpStatusCode.OK, $"{document.Id}: {(int)response.StatusCode}");
            string? detector = blocked ? response.Headers.GetValues("X-PolicyGate-Blocked").Single() : null;
            if (!blocked)
            {
                Assert.Equal(document.Body, body);
            }

            bool engineBlocks = ContentScanner.ScanAll(document.Body, policy!.Profile).Count > 0;
            if (engineBlocks != blocked)
            {
                disagreements.Add($"{document.Id}: engine {(engineBlocks ? "blocks" : "passes")}, gate {(blocked ? "blocks (" + detector + ")" : "passes")}");
            }

            if (document.Kind == CorpusKind.Positive)
            {
                positives++;
                caught += blocked && document.Labels.Any(l => l.Detector == detector) ? 1 : 0;
            }
            else
            {
                negatives++;
                falsePositives += blocked ? 1 : 0;
            }
        }

        double recall = caught / (double)positives;
        double fpRate = falsePositives / (double)negatives;
        output.WriteLine($"live gate: {positives} positives, recall {recall:F3}; {negatives} negatives, false-positive rate {fpRate:P2}; {disagreements.Count} engine/gate disagreements");
        Assert.Empty(disagreements);
        Assert.True(positives >= 150 && negatives >= 80, $"sample too small: {positives} positives, {negatives} negatives");
        Assert.True(recall >= CorpusScorer.StructuredRecall, $"live recall {recall:F3}");
        Assert.True(fpRate <= CorpusScorer.MaxFalsePositiveRate, $"live false-positive rate {fpRate:P2}");
    }

    private static async Task ServeAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "";
        if (!path.StartsWith("/corpus/", StringComparison.Ordinal) || !int.TryParse(path["/corpus/".Length..], CultureInfo.InvariantCulture, out int index)
            || index < 0 || index >= s_corpus.Count)
        {
            context.Response.StatusCode = 404;
            return;
        }

        CorpusDocument document = s_corpus[index];
        context.Response.ContentType = document.ContentType;
        context.Response.ContentLength = document.Body.Length;
        await context.Response.Body.WriteAsync(document.Body);
    }
}
