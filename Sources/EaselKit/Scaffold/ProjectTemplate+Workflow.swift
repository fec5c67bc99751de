extension ProjectTemplate {
    /// `.github/workflows/publish.yml`: GitHub Pages, built from the committed cache only.
    ///
    /// `easel build --offline` sends no request, so publishing never spends money and the workflow
    /// never holds the API key. Easel has no package yet, so the job builds it from source in the
    /// official Swift image, caching `.build` between runs.
    static let publishWorkflow = #"""
        # Publishes this gallery on GitHub Pages on every push to main, and on demand from the
        # Actions tab.
        #
        # The site is built FROM THE COMMITTED CACHE: `easel build --offline` sends no request to the
        # image API, so publishing never spends money and never needs your API key (give this
        # workflow none). Generate the images on your own machine with `easel build`, commit cache/
        # with your prompts, and push. A prompt whose image is not in cache/ yet is published with a
        # clearly marked placeholder; an invalid prompt fails the build, and nothing is published.
        #
        # Once, before the first run:
        #   1. set EASEL_REPOSITORY below to the git address of Easel's source code;
        #   2. in the repository's Settings > Pages, choose "GitHub Actions" as the source;
        #   3. optionally, set base_url in easel.yml to the Pages address for feed.xml and sitemap.xml.
        name: Publish

        on:
          push:
            branches: [main]
          workflow_dispatch:

        permissions:
          contents: read
          pages: write
          id-token: write

        # One deployment at a time: a newer run waits for the one in progress instead of cancelling it.
        concurrency:
          group: pages
          cancel-in-progress: false

        env:
          # PLACEHOLDER: replace with the git address of Easel's source code, for example
          # https://github.com/OWNER/easel.git. The job stops with a message until you do.
          EASEL_REPOSITORY: https://github.com/EASEL-OWNER/easel.git
          # The branch or tag of Easel to build; a release tag keeps the site's look fixed.
          EASEL_REF: main

        jobs:
          build:
            runs-on: ubuntu-latest
            # The official Swift image: its Swift must be at least the version Easel's Package.swift
            # and its dependencies need (6.2 today). Ubuntu 24.04 brings libvips 8.15 and libcmark 0.30.
            container: swift:6.3-noble
            steps:
              - name: Check out the gallery
                uses: actions/checkout@v4

              - name: Install the C libraries Easel links
                run: |
                  apt-get update
                  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
                    pkg-config libcmark-dev libvips-dev git ca-certificates

              # Easel is not packaged yet, so the job builds it from source. A shallow clone of one
              # branch or tag is quick, and its commit id keys the cache below: an Easel commit is
              # compiled once, and every later run of the same commit only restores the binary.
              - name: Fetch Easel's source
                id: easel
                run: |
                  case "$EASEL_REPOSITORY" in
                    *EASEL-OWNER*)
                      echo "::error::Set EASEL_REPOSITORY in .github/workflows/publish.yml to the address of Easel's source code."
                      exit 1 ;;
                  esac
                  git clone --depth 1 --branch "$EASEL_REF" "$EASEL_REPOSITORY" /opt/easel
                  echo "commit=$(git -C /opt/easel rev-parse HEAD)" >> "$GITHUB_OUTPUT"

              # A first build of Easel and its dependencies takes several minutes. An exact hit skips
              # it; an older entry (another Easel commit) still holds the compiled dependencies.
              - name: Cache Easel's build
                id: cache
                uses: actions/cache@v4
                with:
                  path: /opt/easel/.build
                  key: easel-swift-6.3-noble-${{ steps.easel.outputs.commit }}
                  restore-keys: |
                    easel-swift-6.3-noble-

              - name: Build Easel
                if: steps.cache.outputs.cache-hit != 'true'
                working-directory: /opt/easel
                run: swift build -c release --product easel

              - name: Build the site from the committed cache (no API call, no key)
                run: |
                  /opt/easel/.build/release/easel --version
                  /opt/easel/.build/release/easel build --offline

              - name: Configure GitHub Pages
                uses: actions/configure-pages@v5

              - name: Upload the site
                uses: actions/upload-pages-artifact@v3
                with:
                  path: site

          deploy:
            needs: build
            runs-on: ubuntu-latest
            environment:
              name: github-pages
              url: ${{ steps.deployment.outputs.page_url }}
            steps:
              - name: Deploy to GitHub Pages
                id: deployment
                uses: actions/deploy-pages@v4

        """#
}
