# fish completion for mpp. Installed as share/fish/vendor_completions.d/mpp.fish.
# Wallet names come from `mpp wallet list --names`; service names are the presets plus the
# [services.NAME] tables of the config file. The option lists must match `--help`
# (tests/docs/completions.sh checks).

complete -c mpp -e

# Whether option $argv[1] takes a value, so that the word after it is not a subcommand or positional.
function __mpp_takes_value
    contains -- $argv[1] --service --url --base-url --config -m --model -s --system --max-tokens \
        --temperature --top-p --stop --seed -o --option --schema -f --file -a --attach --batch -j --jobs \
        --cid --network \
        --rpc-url --chain-id --max-amount --max-fee --intent --max-deposit --escrow --daily-limit \
        --currency --exclude-currency --wallet --password-file --dump-credential --timeout \
        --connect-timeout --max-response --max-failures --budget -X --request --data --keystore \
        --token --wait --since -n --count -q --query -t --template -p --param --save --retries --max-input
end

# Prints the command path ("chat", "wallet use", ...) and then the number of positionals after it.
function __mpp_parse
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path
    set -l positionals 0
    set -l skip 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case '--*=*'
                continue
            case '-?*'
                __mpp_takes_value $t; and set skip 1
                continue
        end
        if test (count $path) -eq 0
            set path $t
        else if test "$path" = wallet; or test "$path" = templates
            set path $path $t
        else if test "$path" = models; and contains -- $t default alias aliases
            set path models $t
        else
            set positionals (math $positionals + 1)
        end
    end
    echo "$path"
    echo $positionals
end

# True when the command path is exactly $argv ("mpp" for none).
function __mpp_is
    set -l parsed (__mpp_parse)
    if test "$argv" = mpp
        test -z "$parsed[1]"
    else
        test "$parsed[1]" = "$argv"
    end
end

# True when the command is one of $argv and no positional has been given yet.
function __mpp_wants_wallet
    set -l parsed (__mpp_parse)
    contains -- "$parsed[1]" $argv; and test "$parsed[2]" -eq 0
end

# The mpp being completed (as typed, so build/mpp works too), else the one on $PATH.
function __mpp_command
    set -l mpp (commandline -opc)[1]
    set mpp (string replace -r '^~/' "$HOME/" -- $mpp)
    if string match -q -- '*/*' $mpp; and not test -x $mpp
        set mpp mpp
    end
    echo $mpp
end

function __mpp_wallets
    set -l mpp (__mpp_command)
    command $mpp wallet list --names 2>/dev/null
end

# The config file mpp would read: --config, MPP_CONFIG, MPP_HOME, XDG_CONFIG_HOME, HOME.
function __mpp_config_file
    set -l tokens (commandline -opc)
    for i in (seq (count $tokens))
        if test "$tokens[$i]" = --config; and test $i -lt (count $tokens)
            echo $tokens[(math $i + 1)]
            return
        end
        if string match -q -- '--config=*' $tokens[$i]
            string replace -- '--config=' '' $tokens[$i]
            return
        end
    end
    if test -n "$MPP_CONFIG"
        echo $MPP_CONFIG
    else if test -n "$MPP_HOME"
        echo $MPP_HOME/config.toml
    else if string match -q -- '/*' "$XDG_CONFIG_HOME"
        echo $XDG_CONFIG_HOME/mpp/config.toml
    else
        echo $HOME/.config/mpp/config.toml
    end
end

function __mpp_services
    set -l names groq grok openrouter openai
    set -l file (string replace -r '^~/' "$HOME/" -- (__mpp_config_file))
    if test -f "$file" -a -r "$file"
        for name in (string replace -rf '^\s*\[\s*services\.([a-z0-9][a-z0-9_-]*)\s*\].*$' '$1' <$file) \
                (string replace -rf '^\s*services\.([a-z0-9][a-z0-9_-]*)\..*$' '$1' <$file)
            contains -- $name $names; or set -a names $name
        end
    end
    printf '%s\n' $names
end

function __mpp_templates
    set -l mpp (__mpp_command)
    command $mpp templates list 2>/dev/null
end

function __mpp_conversations
    set -l dir
    if test -n "$MPP_HOME"
        set dir $MPP_HOME
    else if string match -q -- '/*' "$XDG_DATA_HOME"
        set dir $XDG_DATA_HOME/mpp
    else
        set dir $HOME/.local/share/mpp
    end
    for f in $dir/conversations/*.jsonl
        basename $f .jsonl
    end
end

# mpp
complete -c mpp -n '__mpp_is mpp' -f
complete -c mpp -n '__mpp_is mpp' -s h -l help -d 'Print the help and exit'
complete -c mpp -n '__mpp_is mpp' -l version -d 'Print the version and exit'
complete -c mpp -n '__mpp_is mpp' -a chat -d 'Send a prompt or a JSON request to a paid chat service'
complete -c mpp -n '__mpp_is mpp' -a logs -d 'Show logged prompts and answers again'
complete -c mpp -n '__mpp_is mpp' -a models -d 'List the models a service offers'
complete -c mpp -n '__mpp_is mpp' -a quote -d 'Show what a call would cost, without paying'
complete -c mpp -n '__mpp_is mpp' -a templates -d 'List, show, edit and remove saved chat templates'
complete -c mpp -n '__mpp_is mpp' -a wallet -d 'Keys, balances, faucet and payment history'

# Shared by chat, models and quote.
set -l paid '__mpp_is chat; or __mpp_is models; or __mpp_is quote'
complete -c mpp -n $paid -s h -l help -d 'Print the help and exit'
complete -c mpp -n $paid -x -l service -a '(__mpp_services)' -d 'Service preset or config service'
complete -c mpp -n $paid -x -l url -d 'Full endpoint URL instead of a service'
complete -c mpp -n $paid -x -l base-url -d "Replace the service's base URL"
complete -c mpp -n $paid -r -F -l config -d 'Config file'
complete -c mpp -n $paid -s v -l verbose -d 'Explain what happens on stderr'
complete -c mpp -n $paid -x -l network -a 'mainnet testnet' -d 'Tempo network'
complete -c mpp -n $paid -x -l rpc-url -d 'Tempo JSON-RPC endpoint'
complete -c mpp -n $paid -x -l chain-id -d 'Accept challenges for this chain id instead'
complete -c mpp -n $paid -x -l max-amount -d 'Most one call may cost, fee included, in token units'
complete -c mpp -n $paid -x -l max-fee -d 'Most the network fee of one self-paid call may be'
complete -c mpp -n $paid -x -l intent -a 'auto charge session' -d 'How to pay: auto, charge or session'
complete -c mpp -n $paid -x -l max-deposit -d 'Most a payment channel may lock, in token units'
complete -c mpp -n $paid -x -l escrow -d 'Trust this channel escrow contract instead of the precompile'
complete -c mpp -n $paid -x -l daily-limit -d 'Most all calls may spend in 24 hours'
complete -c mpp -n $paid -x -l currency -d 'Allow and prefer this token address'
complete -c mpp -n $paid -x -l exclude-currency -d 'Never pay in this token address'
complete -c mpp -n $paid -x -l wallet -a '(__mpp_wallets)' -d 'Wallet to pay from'
complete -c mpp -n $paid -r -F -l password-file -d 'Read the wallet password from FILE'
complete -c mpp -n $paid -r -F -l dump-credential -d 'Write the payment credential to FILE (0600)'
complete -c mpp -n $paid -x -l timeout -d 'Seconds a whole request may take'
complete -c mpp -n $paid -x -l connect-timeout -d 'Seconds to wait for a connection'
complete -c mpp -n $paid -x -l max-response -d 'Most bytes of an answer to read (e.g. 64M)'
complete -c mpp -n $paid -x -l retries -d 'Retry the unpaid first request N times after 429, 5xx or no connection'

# Request shaping: chat and quote.
set -l shaped '__mpp_is chat; or __mpp_is quote'
complete -c mpp -n $shaped -x -s m -l model -d 'Model id'
complete -c mpp -n $shaped -x -s s -l system -d 'System prompt'
complete -c mpp -n $shaped -x -l max-tokens -d 'Most tokens to generate'
complete -c mpp -n $shaped -x -l temperature -d 'Sampling temperature, 0 to 2'
complete -c mpp -n $shaped -x -l top-p -d 'Nucleus sampling, 0 to 1'
complete -c mpp -n $shaped -x -l stop -d 'Stop sequence (repeatable)'
complete -c mpp -n $shaped -x -l seed -d 'Sampling seed'
complete -c mpp -n $shaped -x -s o -l option -d 'Set any request field: KEY=VALUE'
complete -c mpp -n $shaped -r -F -l schema -d 'JSON Schema file for structured output'
complete -c mpp -n $shaped -l no-stream -d 'Ask for one JSON answer instead of a stream'
complete -c mpp -n $shaped -r -F -s f -l file -d 'Add a text file, URL or - (stdin) before the prompt'
complete -c mpp -n $shaped -r -F -s a -l attach -d 'Attach an image file or URL'
complete -c mpp -n $shaped -x -s t -l template -a '(__mpp_templates)' -d 'Start from a saved template'
complete -c mpp -n $shaped -x -s p -l param -d 'Fill $KEY in the template: KEY VALUE'

# chat
complete -c mpp -n '__mpp_is chat' -f
complete -c mpp -n '__mpp_is chat' -l raw -d 'Write the response body unchanged'
complete -c mpp -n '__mpp_is chat' -x -l save -d 'Save these flags as a template and exit'
complete -c mpp -n '__mpp_is chat' -r -F -l batch -d 'JSONL file of prompts or requests (- for stdin)'
complete -c mpp -n '__mpp_is chat' -x -s j -l jobs -d 'Calls in flight at once with --batch'
complete -c mpp -n '__mpp_is chat' -x -l max-failures -d 'With --batch: stop after N refused paid answers in a row'
complete -c mpp -n '__mpp_is chat' -x -l budget -d 'With --batch: the most the whole batch may spend, fees included'
complete -c mpp -n '__mpp_is chat' -s c -l continue -d 'Continue the last conversation'
complete -c mpp -n '__mpp_is chat' -x -l cid -a '(__mpp_conversations)' -d 'Continue conversation ID'
complete -c mpp -n '__mpp_is chat' -l list -d 'List recent conversations and exit'
complete -c mpp -n '__mpp_is chat' -l no-log -d 'Do not record this exchange'
complete -c mpp -n '__mpp_is chat' -l json -d 'One JSON object on stdout: output, usage, payment, timings'
complete -c mpp -n '__mpp_is chat' -s x -l extract -d 'Print only the code of the first fenced block'
complete -c mpp -n '__mpp_is chat' -l extract-last -d 'Print only the code of the last fenced block'
complete -c mpp -n '__mpp_is chat' -x -l max-input -d 'Refuse a request larger than this before sending (e.g. 1M)'
complete -c mpp -n '__mpp_is chat' -l confirm -d 'Show amount, fee and payee and ask before paying'
complete -c mpp -n '__mpp_is chat' -l cheapest -d 'Compare the services, then pay the cheapest that fits the caps'
complete -c mpp -n '__mpp_is chat' -x -l services -a '(__mpp_services)' -d 'With --cheapest: services to compare (a,b)'
complete -c mpp -n '__mpp_is chat' -l max-drift -x -a '10% 20% 50% off' -d 'Refuse a 402 this many percent above the published price'

# logs
complete -c mpp -n '__mpp_is logs' -f
complete -c mpp -n '__mpp_is logs' -s h -l help -d 'Print the help and exit'
complete -c mpp -n '__mpp_is logs' -x -s n -l count -d 'Show the N newest exchanges'
complete -c mpp -n '__mpp_is logs' -s r -l last -d "Print the last answer's text and nothing else"
complete -c mpp -n '__mpp_is logs' -x -l cid -a '(__mpp_conversations)' -d 'Show conversation ID'
complete -c mpp -n '__mpp_is logs' -x -s q -l query -d 'Only exchanges whose prompts or answer hold TEXT'
complete -c mpp -n '__mpp_is logs' -l json -d 'A JSON array of the records as logged'

# models
complete -c mpp -n '__mpp_is models' -f
complete -c mpp -n '__mpp_is models' -l json -d "Write the service's listing unchanged (JSON)"
complete -c mpp -n '__mpp_is models' -a default -d 'Print or set the model used when no -m names one'
complete -c mpp -n '__mpp_is models' -a alias -d 'Print, set or remove a model alias for -m'
complete -c mpp -n '__mpp_is models' -a aliases -d 'List the model aliases'
for sub in default alias aliases
    complete -c mpp -n "__mpp_is models $sub" -f
    complete -c mpp -n "__mpp_is models $sub" -s h -l help -d 'Print the help and exit'
end
complete -c mpp -n '__mpp_is models default' -x -l service -a '(__mpp_services)' -d 'The service this default is for'
complete -c mpp -n '__mpp_is models default' -r -F -l config -d 'Config file'
complete -c mpp -n '__mpp_is models default' -l unset -d 'Forget the default set for the service'
complete -c mpp -n '__mpp_is models alias' -l remove -d 'Remove the alias'

# templates
complete -c mpp -n '__mpp_is templates' -f
complete -c mpp -n '__mpp_is templates' -s h -l help -d 'Print the help and exit'
complete -c mpp -n '__mpp_is templates' -a list -d 'List the saved templates'
complete -c mpp -n '__mpp_is templates' -a show -d "Print a template's TOML"
complete -c mpp -n '__mpp_is templates' -a edit -d 'Open a template in $VISUAL or $EDITOR, then check it'
complete -c mpp -n '__mpp_is templates' -a remove -d 'Delete a template'
for sub in list show edit remove
    complete -c mpp -n "__mpp_is templates $sub" -f
    complete -c mpp -n "__mpp_is templates $sub" -s h -l help -d 'Print the help and exit'
end
complete -c mpp -n '__mpp_wants_wallet "templates show" "templates edit" "templates remove"' -a '(__mpp_templates)' -d Template

# quote
complete -c mpp -n '__mpp_is quote' -f
complete -c mpp -n '__mpp_is quote' -x -s X -l request -a 'GET POST PUT PATCH DELETE HEAD OPTIONS' -d 'HTTP method of a request sent as given'
complete -c mpp -n '__mpp_is quote' -x -l data -d 'Body of a request sent as given (@FILE, @-)'
complete -c mpp -n '__mpp_is quote' -l json -d 'One JSON object on stdout instead of the table'
complete -c mpp -n '__mpp_is quote' -l discover -d 'Read the published prices in /openapi.json'
complete -c mpp -n '__mpp_is quote' -l compare -d 'Probe every configured service; prices sorted by cost'
complete -c mpp -n '__mpp_is quote' -x -l services -a '(__mpp_services)' -d 'With --compare: services to compare (a,b)'
complete -c mpp -n '__mpp_is quote' -l max-drift -x -a '10% 20% 50% off' -d 'Show the drift from the published price'
complete -c mpp -n '__mpp_is quote' -r -F -l batch -d 'Price every line of a chat batch file (- for stdin)'
complete -c mpp -n '__mpp_is quote' -x -s j -l jobs -d 'Probes in flight at once with --batch'

# wallet
complete -c mpp -n '__mpp_is wallet' -f
complete -c mpp -n '__mpp_is wallet' -s h -l help -d 'Print the help and exit'
complete -c mpp -n '__mpp_is wallet' -a new -d 'Create a key, stored encrypted'
complete -c mpp -n '__mpp_is wallet' -a import -d 'Import a hex private key from stdin, or a keystore file'
complete -c mpp -n '__mpp_is wallet' -a export -d 'Print the keystore JSON, or the hex key'
complete -c mpp -n '__mpp_is wallet' -a list -d 'List wallets'
complete -c mpp -n '__mpp_is wallet' -a use -d 'Make NAME the default wallet'
complete -c mpp -n '__mpp_is wallet' -a address -d "Print a wallet's address"
complete -c mpp -n '__mpp_is wallet' -a remove -d 'Remove a wallet (its key file is moved aside)'
complete -c mpp -n '__mpp_is wallet' -a balance -d 'Show token balances over JSON-RPC'
complete -c mpp -n '__mpp_is wallet' -a fund -d 'Ask the testnet faucet for tokens'
complete -c mpp -n '__mpp_is wallet' -a history -d 'List payments and channel closes from the journal'
complete -c mpp -n '__mpp_is wallet' -a spend -d 'Spend reports: totals by day, service, model, conversation, template'
complete -c mpp -n '__mpp_is wallet' -a reconcile -d 'Ask the chain about payments of unknown outcome'
complete -c mpp -n '__mpp_is wallet' -a channels -d 'List, close and recover payment channels'

for sub in new import export list use address remove balance fund history spend reconcile channels
    complete -c mpp -n "__mpp_is wallet $sub" -f
    complete -c mpp -n "__mpp_is wallet $sub" -s h -l help -d 'Print the help and exit'
    complete -c mpp -n "__mpp_is wallet $sub" -s v -l verbose -d 'Explain what happens on stderr'
end
for sub in new import
    complete -c mpp -n "__mpp_is wallet $sub" -l light -d 'Faster, weaker scrypt for throwaway keys'
    complete -c mpp -n "__mpp_is wallet $sub" -l insecure-no-password -d 'Store the key UNENCRYPTED'
end
for sub in new import export
    complete -c mpp -n "__mpp_is wallet $sub" -r -F -l password-file -d 'Read the password from FILE'
end
complete -c mpp -n '__mpp_is wallet import' -r -F -l keystore -d 'Import this V3 keystore file'
complete -c mpp -n '__mpp_is wallet export' -l yes-print-private-key -d 'Print the raw hex private key'
complete -c mpp -n '__mpp_is wallet list' -l names -d 'Print names only, one per line'
complete -c mpp -n '__mpp_is wallet list' -l json -d 'JSON output'
complete -c mpp -n '__mpp_is wallet remove' -s y -l yes -d 'Do not ask for confirmation'
complete -c mpp -n '__mpp_is wallet balance' -x -l token -d 'Also show this token address'
complete -c mpp -n '__mpp_is wallet balance' -l json -d 'JSON output'
for sub in balance fund reconcile channels
    complete -c mpp -n "__mpp_is wallet $sub" -x -l network -a 'mainnet testnet' -d 'Tempo network'
    complete -c mpp -n "__mpp_is wallet $sub" -x -l rpc-url -d 'Tempo JSON-RPC endpoint'
    complete -c mpp -n "__mpp_is wallet $sub" -r -F -l config -d 'Config file'
end
complete -c mpp -n '__mpp_is wallet fund' -x -l wait -d 'Seconds to wait for the balance to move'
complete -c mpp -n '__mpp_is wallet history' -x -l since -d 'Only payments on or after this UTC date'
complete -c mpp -n '__mpp_is wallet history' -l json -d 'JSON output'
complete -c mpp -n '__mpp_is wallet spend' -x -l since -d 'Only payments at or after this: YYYY-MM-DD or 1d, 12h, 30m'
complete -c mpp -n '__mpp_is wallet spend' -x -l until -d 'Only payments before this: YYYY-MM-DD or 1d, 12h, 30m'
complete -c mpp -n '__mpp_is wallet spend' -l json -d 'JSON output: one object'
complete -c mpp -n '__mpp_is wallet spend' -l csv -d 'CSV output for spreadsheets'
complete -c mpp -n '__mpp_wants_wallet "wallet channels"' -a 'list close recover' -d 'Channels action'
complete -c mpp -n '__mpp_is wallet channels' -l all -d 'close: every open channel of the wallet'
complete -c mpp -n '__mpp_is wallet channels' -l force -d "close: the payer's own requestClose"
complete -c mpp -n '__mpp_is wallet channels' -l finalize -d 'close: withdraw after the grace period'
complete -c mpp -n '__mpp_is wallet channels' -l json -d 'JSON output'
complete -c mpp -n '__mpp_is wallet channels' -x -l wallet -a '(__mpp_wallets)' -d 'The wallet that pays the channels'
complete -c mpp -n '__mpp_is wallet channels' -r -F -l password-file -d 'Read the password from FILE'
complete -c mpp -n '__mpp_wants_wallet "wallet export" "wallet use" "wallet address" "wallet remove" "wallet balance" "wallet fund"' -a '(__mpp_wallets)' -d Wallet
