// Command hostile is a webhook server that attacks its client's memory, for
// measuring flireo-sim's peak memory against it:
//
//	go run ./simulator/delivery/testdata/hostile -mode body -addr 127.0.0.1:8099 [-tls cert.pem]
//
// Modes: body answers every webhook 200 with a 1 GB body (Content-Length
// set); chunks answers with endless chunks; headers answers with 9 MB of
// headers. With -tls FILE it serves https with a fresh self-signed
// certificate for 127.0.0.1 and writes the certificate to FILE (trust it
// with SSL_CERT_FILE=FILE). It prints its URL and serves until killed.
package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	mode := flag.String("mode", "body", "body | chunks | headers")
	addr := flag.String("addr", "127.0.0.1:8099", "listen address")
	certOut := flag.String("tls", "", "serve https; write the certificate (PEM) to this file")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	scheme := "http"
	if *certOut != "" {
		cfg, pemBytes, err := selfSigned()
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(*certOut, pemBytes, 0o644); err != nil {
			log.Fatal(err)
		}
		ln = tls.NewListener(ln, cfg)
		scheme = "https"
	}
	fmt.Printf("%s://%s/webhook (%s)\n", scheme, ln.Addr(), *mode)
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go serve(c, *mode)
	}
}

// serve answers every request on the connection until it fails.
func serve(c net.Conn, mode string) {
	defer c.Close()
	br := bufio.NewReader(c)
	chunk := []byte(strings.Repeat("x", 64<<10))
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		w := bufio.NewWriterSize(c, 64<<10)
		switch mode {
		case "body":
			fmt.Fprintf(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", 1<<30)
			for n := 0; n < 1<<30; n += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case "chunks":
			io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
			for {
				fmt.Fprintf(w, "%x\r\n", len(chunk))
				w.Write(chunk)
				if _, err := io.WriteString(w, "\r\n"); err != nil {
					return
				}
			}
		case "headers":
			io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
			line := "X-Padding: " + strings.Repeat("p", 1000) + "\r\n"
			for n := 0; n < 9<<20; n += len(line) {
				if _, err := io.WriteString(w, line); err != nil {
					return
				}
			}
			io.WriteString(w, "Content-Length: 2\r\n\r\n{}")
		}
		if err := w.Flush(); err != nil {
			return
		}
	}
}

// selfSigned makes a certificate for 127.0.0.1 and localhost.
func selfSigned() (*tls.Config, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "hostile"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	return &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}},
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}
